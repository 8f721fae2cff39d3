"""Subcommands of `kiosk`: each module has add_parser(subparsers, common) and run(args) -> int."""
