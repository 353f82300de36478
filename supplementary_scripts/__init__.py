"""The project's benchmarks, one tool: ``python -m supplementary_scripts COMMAND`` (``cli.py``).

Beside it, the original project's timing scripts, run as files:
``make_requests_to_log_time.py`` and ``process_logs.py``.
"""
