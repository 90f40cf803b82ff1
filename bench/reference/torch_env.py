"""Which BLAS the PyTorch reference really runs on: Debian's torch links the generic libblas.so.3,
which is the slow reference BLAS unless OpenBLAS is selected (see bench/README.md)."""
import os


def blas_library() -> str:
    """The BLAS shared object mapped into this process (call after importing torch)."""
    try:
        with open("/proc/self/maps", encoding="utf8") as maps:
            paths = {line.split()[-1] for line in maps if "blas" in line and "/" in line}
    except OSError:
        return "unknown"
    return ", ".join(sorted(os.path.realpath(p) for p in paths)) or "none"
