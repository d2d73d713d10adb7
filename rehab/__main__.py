import signal
import sys

from .cli import main

if hasattr(signal, "SIGPIPE"):  # `python -m rehab library | head` ends quietly, like other Unix tools
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
sys.exit(main())
