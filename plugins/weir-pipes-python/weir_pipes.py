"""Speak Weir's external-process protocol (v1) from Python; no third-party dependencies.

Messages are one JSON object per line on the file descriptor named by WEIR_PIPES_FD (3), or,
when that descriptor is not open, on stderr behind the WEIR_PIPES_PREFIX ("@@weir ").
"""
import json
import os
import sys

_PREFIX = os.environ.get("WEIR_PIPES_PREFIX", "@@weir ")
_pipe = None


def _send(message):
    global _pipe
    line = json.dumps(message, separators=(",", ":"), default=str)
    if _pipe is None and os.environ.get("WEIR_PIPES_FD"):
        try:
            _pipe = os.fdopen(int(os.environ["WEIR_PIPES_FD"]), "w", buffering=1, closefd=False)
        except OSError:
            _pipe = False
    if _pipe:
        try:
            _pipe.write(line + "\n")
            _pipe.flush()
            return
        except OSError:
            _pipe = False
    sys.stderr.write(_PREFIX + line + "\n")
    sys.stderr.flush()


def context():
    """The step this process runs for: run_id, step_id, attempt_id, attempt_number, asset_key,
    partition (or None) and config (the run config, or None)."""
    raw = os.environ.get("WEIR_CONFIG")
    return {
        "run_id": os.environ.get("WEIR_RUN_ID"),
        "step_id": os.environ.get("WEIR_STEP_ID"),
        "attempt_id": os.environ.get("WEIR_ATTEMPT_ID"),
        "attempt_number": int(os.environ.get("WEIR_ATTEMPT_NUMBER") or 0) or None,
        "asset_key": os.environ.get("WEIR_ASSET_KEY"),
        "partition": os.environ.get("WEIR_PARTITION") or None,
        "config": json.loads(raw) if raw else None,
    }


def report_metadata(**values):
    """Adds number/string/bool values to the materialization's metadata."""
    _send({"type": "metadata", "values": values})


def report_check(name, passed, message=None, severity="error", metadata=None):
    """Records a check result; a failed 'error' check fails the step."""
    _send({"type": "check", "name": name, "passed": bool(passed), "message": message,
           "severity": severity, "metadata": metadata or {}})


def log(message, level="info", **fields):
    """A structured line of the run's log."""
    _send({"type": "log", "level": level, "message": str(message), "fields": fields})


def progress(done, total=None, message=None):
    """Progress, logged as 'progress done/total (pct%)'."""
    _send({"type": "progress", "done": done, "total": total, "message": message})
