"""The kernels that run the book's pages while it builds log one warning fewer.

ipykernel warns at every start that it "is running over TCP without encryption": true of
any kernel a local tool starts on this machine's loopback, and nothing a person building
the book can act on (six times a build).  The build gives its kernels an IPython profile of
their own (build.kernel_profile) whose logging passes every record but that one, through
this filter."""
from __future__ import annotations

import logging

NOTICE = "Kernel is running over TCP without encryption"


class WithoutTcpNotice(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(NOTICE)


# the kernel app's logging configuration (traitlets' Application.logging_config), merged
# into its default one: the filter on its console handler
KERNEL_CONFIG = f"""# written by coursebook.build for the kernels that run the book's pages (see coursebook/kernel_log.py)
c.IPKernelApp.logging_config = {{
    "filters": {{"without_tcp_notice": {{"()": "{__name__}.WithoutTcpNotice"}}}},
    "handlers": {{"console": {{"filters": ["without_tcp_notice"]}}}},
}}
"""
