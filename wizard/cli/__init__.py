"""The command line: one table of subcommands (`parser.COMMANDS`: name, parser builder,
handler) that the parser, the help and `wizard.launch`'s dispatch all read.

The token never goes on the command line: it comes from stdin (--token-stdin),
ALEGRA_TOKEN, a stored profile, or a hidden prompt on a terminal; it is never
printed, except by `credential get` into a pipe (or a file named with --output),
which is that command's whole purpose. Results go to stdout, messages to stderr,
`--json` prints exactly one JSON object whatever happens.

- `render`: `Io` (where a command writes) and the renderers of an early or failed end.
- `options`: the options several commands share, the `Command` row, the handler's `Context`.
- `parser`: `COMMANDS`, `build_parser`, `parse`.
- One module per command group, each `build_x` beside its `run_x`: `check`, `login`,
  `profiles` (status, profiles, default, rename, forget), `credential`, `doctor`,
  `sandbox`, `help`.

Importing this package imports none of them: `wizard.launch` imports what it runs.
"""
