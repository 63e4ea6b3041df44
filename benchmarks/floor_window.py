"""The floor for start-up: a bare PySide6 window, shown, first paint, exit.

Prints the same one-line JSON report as `alegra-wizard --smoke-test` with
ALEGRA_WIZARD_SMOKE_REPORT=1: resident memory at first paint, and when it happened.
"""

import json
import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget


def rss_kb() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def painted():
    """As alegra-wizard --smoke-test does: once the first frame is drawn, the report
    (memory, and the CLOCK_MONOTONIC time the benchmark's parent compares with its own),
    then quit."""
    print(json.dumps({"rss_kb": rss_kb(), "painted_monotonic_s": time.monotonic()}), flush=True)
    app.quit()


class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, painted)
            obj.removeEventFilter(self)
        return False


app = QApplication(sys.argv)
window = QWidget()
window.resize(900, 640)
watcher = FirstPaint()
window.installEventFilter(watcher)
window.show()
sys.exit(app.exec())
