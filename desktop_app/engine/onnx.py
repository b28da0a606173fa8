"""onnxruntime sessions, with the library's telemetry switched off before it starts.

onnxruntime 1.30 on Linux writes a device id, an event database and a debug log (under ~/.cache/Microsoft and
/tmp) and sends usage events to mobile.events.data.microsoft.com: strace showed the running app look that name
up. Haven makes no network call and writes nothing outside its own folders, so every onnxruntime session is
made here, after `ORT_DISABLE_TELEMETRY` is set (read when the library starts its environment) and telemetry
events are disabled (for an environment something else started first).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

TELEMETRY_SWITCH = "ORT_DISABLE_TELEMETRY"


def cpu_session(model: Path, threads: int) -> Any:
    """An onnxruntime CPU session for `model`, with `threads` threads inside each operator and quiet logs."""
    os.environ[TELEMETRY_SWITCH] = "1"
    import onnxruntime

    onnxruntime.disable_telemetry_events()
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    return onnxruntime.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
