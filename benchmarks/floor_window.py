"""The floor for start-up: a bare PySide6 window, shown, first paint, exit.

Prints the same one-line JSON report as `alegra-wizard --smoke-test` with
ALEGRA_WIZARD_SMOKE_REPORT=1: resident memory at first paint.
"""

import json
import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget


def rss_kb() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            print(json.dumps({"rss_kb": rss_kb()}), flush=True)
            QTimer.singleShot(0, app.quit)
            obj.removeEventFilter(self)
        return False


app = QApplication(sys.argv)
window = QWidget()
window.resize(900, 640)
watcher = FirstPaint()
window.installEventFilter(watcher)
window.show()
sys.exit(app.exec())
