package claudetranscript

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// headLen is how much of an over-long line is kept to tell what it is.
const headLen = 4096

// forwardLines reads lines of at most max bytes from r, which starts at offset off.
// A longer line is skipped without being held in memory: only its first headLen
// bytes are kept (line is nil, head is set). A last line without its newline is
// not returned: off stays at its start, so the next read takes it whole, unless it
// is already over-long, then off passes it and inLong says a line is being skipped.
type forwardLines struct {
	br     *bufio.Reader
	max    int
	off    int64 // the offset just past the last complete line (or skipped bytes)
	inLong bool  // off is inside an over-long line: skip to its newline

	buf  []byte
	head []byte
}

func newForwardLines(r io.Reader, off int64, max int, inLong bool) *forwardLines {
	return &forwardLines{br: bufio.NewReaderSize(r, 64<<10), max: max, off: off, inLong: inLong}
}

// next returns the next complete line (without its newline) or, for an over-long
// one, its head with long = true. ok is false at the end of the complete lines.
// The returned slices are valid until the next call.
func (f *forwardLines) next() (line []byte, long, ok bool, err error) {
	f.buf = f.buf[:0]
	if !f.inLong {
		f.head = f.head[:0]
	}
	long = f.inLong
	var n int64
	for {
		frag, err := f.br.ReadSlice('\n')
		n += int64(len(frag))
		if !long {
			size := len(f.buf) + len(frag)
			if err == nil {
				size-- // the newline
			}
			if size > f.max {
				long = true
				f.head = append(f.head, f.buf[:min(len(f.buf), headLen)]...)
				if rest := headLen - len(f.head); rest > 0 {
					f.head = append(f.head, frag[:min(len(frag), rest)]...)
				}
				f.buf = f.buf[:0]
			} else {
				f.buf = append(f.buf, frag...)
			}
		}
		switch {
		case err == nil:
			f.off += n
			f.inLong = false
			if long {
				return bytes.TrimRight(f.head, "\r\n"), true, true, nil
			}
			return bytes.TrimRight(f.buf, "\r\n"), false, true, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			if long {
				// Past what was read of an over-long line: never read it again
				// (head keeps its start).
				f.off += n
				f.inLong = true
			}
			return nil, false, false, nil
		default:
			return nil, false, false, err
		}
	}
}

// backwardLines reads the complete lines of r before end, from the last to the
// first, each of at most max bytes; a longer line is reported as long (no bytes)
// without being held. Bytes after the last newline (a line still being written)
// are left out. It reads at most budget bytes in all.
type backwardLines struct {
	r      io.ReaderAt
	max    int
	budget int64

	data      []byte // file[dataStart:end): read, before the current end
	spare     []byte // the other buffer: reads alternate between the two
	dataStart int64
	started   bool
	done      bool
}

func newBackwardLines(r io.ReaderAt, end int64, max int, budget int64) *backwardLines {
	return &backwardLines{r: r, max: max, budget: budget, dataStart: end}
}

// read prepends n bytes before dataStart to data.
func (b *backwardLines) read(n int64) error {
	n = min(n, b.dataStart, b.budget)
	start := b.dataStart - n
	size := int(n) + len(b.data)
	nd := b.spare
	if cap(nd) < size {
		nd = make([]byte, size, size+size/2)
	}
	nd = nd[:size]
	copy(nd[n:], b.data)
	if _, err := b.r.ReadAt(nd[:n], start); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	b.data, b.spare, b.dataStart = nd, b.data[:0], start
	b.budget -= n
	return nil
}

// skipLong drops data and reads back, chunk by chunk, to the newline before it.
func (b *backwardLines) skipLong() (found bool, err error) {
	b.data = b.data[:0]
	for b.dataStart > 0 && b.budget > 0 {
		n := min(int64(256<<10), b.dataStart, b.budget)
		start := b.dataStart - n
		buf := make([]byte, n)
		if _, err := b.r.ReadAt(buf, start); err != nil && !errors.Is(err, io.EOF) {
			return false, err
		}
		b.dataStart, b.budget = start, b.budget-n
		if i := bytes.LastIndexByte(buf, '\n'); i >= 0 {
			b.data = buf[:i+1]
			return true, nil
		}
	}
	return false, nil
}

// next returns the previous line. ok is false at the start of the file or when
// the budget is spent (exhausted then says so).
func (b *backwardLines) next() (line []byte, long, ok, exhausted bool, err error) {
	if b.done {
		return nil, false, false, false, nil
	}
	if !b.started {
		// Drop what follows the last newline.
		b.started = true
		for {
			if i := bytes.LastIndexByte(b.data, '\n'); i >= 0 {
				b.data = b.data[:i+1]
				break
			}
			if b.dataStart == 0 {
				b.done = true
				return nil, false, false, false, nil
			}
			if b.budget <= 0 {
				return nil, false, false, true, nil
			}
			if len(b.data) > b.max {
				found, err := b.skipLong()
				if err != nil || !found {
					b.done = err == nil && b.dataStart == 0
					return nil, false, false, err == nil && !b.done, err
				}
				break
			}
			if err := b.read(max(256<<10, int64(len(b.data)))); err != nil {
				return nil, false, false, false, err
			}
		}
	}
	// data ends with the newline that ends the current line.
	for {
		body := b.data[:len(b.data)-1]
		if i := bytes.LastIndexByte(body, '\n'); i >= 0 {
			line = body[i+1:]
			b.data = b.data[:i+1]
			if len(line) > b.max {
				return nil, true, true, false, nil
			}
			return bytes.TrimRight(line, "\r"), false, true, false, nil
		}
		if b.dataStart == 0 && len(body) <= b.max {
			b.done = true
			return bytes.TrimRight(body, "\r"), false, true, false, nil
		}
		if len(body) > b.max {
			found, err := b.skipLong()
			if err != nil {
				return nil, false, false, false, err
			}
			if !found {
				if b.dataStart > 0 {
					return nil, false, false, true, nil
				}
				b.done = true // the first line of the file was the long one
			}
			return nil, true, true, false, nil
		}
		if b.budget <= 0 {
			return nil, false, false, true, nil
		}
		if err := b.read(max(256<<10, int64(len(b.data)))); err != nil {
			return nil, false, false, false, err
		}
	}
}
