# `pip install --no-build-isolation --no-index ./python`: a pure-Python
# package (cffi ABI mode loads libvpmoire at import; nothing is compiled).
from setuptools import setup

setup(
    name="vpmoire",
    version="0.1.0",
    description="Will this LED wall show moire in this camera? libvpmoire from Python",
    packages=["vpmoire"],
    python_requires=">=3.7",
    install_requires=["cffi", "numpy"],
    extras_require={"frames": ["pandas"], "figures": ["matplotlib"]},
)
