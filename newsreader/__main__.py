import sys

from newsreader.main import main

sys.exit(main())
