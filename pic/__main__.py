from pic.cli import main

raise SystemExit(main())
