package netcheck
