//go:build ignore

// Command order follows the calls of one phase of scripts/walk in the order
// they are written, to count what coverage counters cannot: how many times
// the walk goes back to a package it has left. It starts at a function
// (doctor's Remedies.Apply, what the wizard's button calls) and goes down
// every call whose callee is known at compile time (a function, or a method
// of a concrete type) and whose call site ran in the phase (its coverage
// block counted > 0 in PROFILE, the `go tool covdata textfmt` of the phase);
// a function literal is walked where it is written (the closure a lock
// helper runs, say). A call through an interface or a func value is not
// followed, but the literal it runs is walked in place. It prints the files
// in the order the walk stays in them, the packages it enters, and each
// return: a call into a package the walk had already entered and left.
//
//	go run scripts/walk/order/main.go PROFILE ['(*claudemedic/doctor.Remedies).Apply']
package main

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/types/typeutil"
)

const module = "claudemedic"

// block is one coverage block: lines and columns, inclusive start, exclusive end.
type block struct{ l0, c0, l1, c1, count int }

func readProfile(path string) map[string][]block {
	f, err := os.Open(path)
	if err != nil {
		fail(err)
	}
	defer f.Close()
	out := map[string][]block{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "mode:") {
			continue
		}
		// claudemedic/doctor/remedy.go:136.84,137.59 1 1
		colon := strings.LastIndex(line, ":")
		fields := strings.Fields(line[colon+1:])
		if colon < 0 || len(fields) != 3 {
			continue
		}
		var b block
		fmt.Sscanf(fields[0], "%d.%d,%d.%d", &b.l0, &b.c0, &b.l1, &b.c1)
		b.count, _ = strconv.Atoi(fields[2])
		out[line[:colon]] = append(out[line[:colon]], b)
	}
	return out
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

type walker struct {
	fset    *token.FileSet
	root    string // the module's folder
	cover   map[string][]block
	decls   map[*types.Func]*ast.FuncDecl
	infos   map[*types.Func]*types.Info
	onStack map[*types.Func]bool

	files   []string        // the file of each stay, in order
	entered map[string]bool // packages entered so far
	left    map[string]bool // packages entered and left since
	returns []string        // "caller pkg -> pkg (function)" for each return
	stack   []string        // package of each frame
}

// name is a position's file as the coverage profile names it.
func (w *walker) name(pos token.Pos) (string, token.Position) {
	p := w.fset.Position(pos)
	rel, err := filepath.Rel(w.root, p.Filename)
	if err != nil {
		return p.Filename, p
	}
	return module + "/" + filepath.ToSlash(rel), p
}

// ran reports whether the code at pos ran in the phase.
func (w *walker) ran(pos token.Pos) bool {
	file, p := w.name(pos)
	for _, b := range w.cover[file] {
		after := p.Line > b.l0 || (p.Line == b.l0 && p.Column >= b.c0)
		before := p.Line < b.l1 || (p.Line == b.l1 && p.Column < b.c1)
		if after && before && b.count > 0 {
			return true
		}
	}
	return false
}

func (w *walker) stay(pos token.Pos) {
	file, _ := w.name(pos)
	if n := len(w.files); n == 0 || w.files[n-1] != file {
		w.files = append(w.files, file)
	}
}

func (w *walker) visit(fn *types.Func) {
	decl, info := w.decls[fn], w.infos[fn]
	pkg := fn.Pkg().Path()
	if n := len(w.stack); n > 0 && w.stack[n-1] != pkg {
		if w.left[pkg] {
			w.returns = append(w.returns, fmt.Sprintf("%s -> %s (%s)", w.stack[n-1], pkg, fn.FullName()))
		}
		w.left[w.stack[n-1]] = true
	}
	w.entered[pkg] = true
	w.stack = append(w.stack, pkg)
	w.onStack[fn] = true
	w.stay(decl.Pos())
	var walk func(n ast.Node) bool
	walk = func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		// The function value and the arguments are evaluated before the
		// call; a function literal given as an argument runs inside it
		// (a lock helper's closure), so it is walked after the callee.
		ast.Inspect(call.Fun, walk)
		var lits []ast.Node
		for _, a := range call.Args {
			if lit, ok := a.(*ast.FuncLit); ok {
				lits = append(lits, lit)
				continue
			}
			ast.Inspect(a, walk)
		}
		if callee := typeutil.StaticCallee(info, call); callee != nil && w.ran(call.Pos()) {
			callee = callee.Origin()
			if callee.Pkg() != nil && strings.HasPrefix(callee.Pkg().Path(), module+"/") && w.decls[callee] != nil && !w.onStack[callee] {
				w.visit(callee)
				w.stay(call.End())
			}
		}
		for _, lit := range lits {
			ast.Inspect(lit, walk)
		}
		return false
	}
	ast.Inspect(decl.Body, walk)
	w.onStack[fn] = false
	w.stack = w.stack[:len(w.stack)-1]
	if n := len(w.stack); n > 0 && w.stack[n-1] != pkg {
		w.left[pkg] = true
	}
}

func main() {
	if len(os.Args) < 2 {
		fail(fmt.Errorf("usage: order PROFILE [START]"))
	}
	start := "(*claudemedic/doctor.Remedies).Apply"
	if len(os.Args) > 2 {
		start = os.Args[2]
	}
	root, _ := os.Getwd()
	cfg := &packages.Config{Mode: packages.NeedName | packages.NeedFiles | packages.NeedSyntax | packages.NeedTypes | packages.NeedTypesInfo, Dir: root}
	pkgs, err := packages.Load(cfg, module+"/...")
	if err != nil {
		fail(err)
	}
	w := &walker{cover: readProfile(os.Args[1]), root: root, decls: map[*types.Func]*ast.FuncDecl{}, infos: map[*types.Func]*types.Info{},
		onStack: map[*types.Func]bool{}, entered: map[string]bool{}, left: map[string]bool{}}
	var first *types.Func
	for _, p := range pkgs {
		if w.fset == nil {
			w.fset = p.Fset
		}
		for _, f := range p.Syntax {
			for _, d := range f.Decls {
				fd, ok := d.(*ast.FuncDecl)
				if !ok || fd.Body == nil {
					continue
				}
				fn, ok := p.TypesInfo.Defs[fd.Name].(*types.Func)
				if !ok {
					continue
				}
				w.decls[fn], w.infos[fn] = fd, p.TypesInfo
				if fn.FullName() == start {
					first = fn
				}
			}
		}
	}
	if first == nil {
		fail(fmt.Errorf("%s: no such function", start))
	}
	w.visit(first)
	distinct := map[string]bool{}
	fmt.Printf("stays: %d in order\n", len(w.files))
	for _, f := range w.files {
		distinct[f] = true
		fmt.Println("  " + strings.TrimPrefix(f, module+"/"))
	}
	fmt.Printf("files: %d\n", len(distinct))
	fmt.Printf("returns: %d (a call into a package the walk had entered and left)\n", len(w.returns))
	for _, r := range w.returns {
		fmt.Println("  " + strings.ReplaceAll(r, module+"/", ""))
	}
}
