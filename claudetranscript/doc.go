// Package claudetranscript reads Claude Code's session transcripts
// (<config dir>/projects/<project>/<session>.jsonl, one JSON object a line) for two
// things only: the API errors Claude Code met (system/api_error entries and the
// <synthetic> "API Error: …" answers), and the shape of the request it sends
// (api-request, api-request-shape and api-request-blob entries, Claude Code 2.1.33x).
//
// It never keeps prompt text, answers, tool input or output: what it returns is
// Claude Code's own error words (masked: keys and tokens never come out), its own
// request parameters, and the structure of the messages (roles, block types,
// lengths, whether a text is a <system-reminder>, cache_control). It reads with
// bounded memory (an over-long line is skipped, never held), only the files and
// bytes it needs, honours contexts, and never fails on a line it does not
// understand: it counts it. It imports only the standard library and, on
// Linux, golang.org/x/sys/unix (for the stat of a large history: walk_linux.go).
package claudetranscript
