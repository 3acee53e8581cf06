from autograder.grading.cli import main

raise SystemExit(main())
