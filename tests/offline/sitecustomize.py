"""Cut outbound network access in every Python process started by the test suite.

The tests put this folder on PYTHONPATH, so Python imports it at start-up in the test process and
in every kernel, papermill run and pip it starts. Connections to loopback addresses (Jupyter's own
kernel channels, the JupyterLab server) and Unix sockets still work; any other address raises
``OSError`` before a packet is sent, and so does resolving a host name other than localhost.
"""

import errno
import ipaddress
import socket

_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", ""}
_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex
_getaddrinfo = socket.getaddrinfo


def _is_local(host) -> bool:
    if isinstance(host, bytes):
        host = host.decode()
    if host in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _refuse(target) -> OSError:
    return OSError(errno.ENETUNREACH, f"network access is cut in the course's tests: {target!r}")


def _guarded_connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address[0]):
        raise _refuse(address)
    return _connect(self, address)


def _guarded_connect_ex(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address[0]):
        raise _refuse(address)
    return _connect_ex(self, address)


def _is_numeric(host) -> bool:
    try:
        ipaddress.ip_address(host.decode() if isinstance(host, bytes) else host)
        return True
    except ValueError:
        return False


def _guarded_getaddrinfo(host, *args, **kwargs):
    # numeric addresses need no look-up; the connection itself is refused above if not local
    if host is not None and not _is_local(host) and not _is_numeric(host):
        raise socket.gaierror(
            socket.EAI_NONAME, f"name resolution is cut in the course's tests: {host!r}"
        )
    return _getaddrinfo(host, *args, **kwargs)


socket.socket.connect = _guarded_connect
socket.socket.connect_ex = _guarded_connect_ex
socket.getaddrinfo = _guarded_getaddrinfo
socket.RNN_COURSE_OFFLINE = True
