"""Packaging for bigcommerce-api (import name ``bigcommerce``)."""

import re
from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent
VERSION = re.search(r'^__version__ = "([^"]+)"', (HERE / "bigcommerce" / "__init__.py").read_text(), re.M).group(1)

setup(
    name="bigcommerce-api",
    version=VERSION,
    description="Python client for the BigCommerce store API, with a local sandbox store",
    long_description=(HERE / "README.rst").read_text(encoding="utf-8"),
    long_description_content_type="text/x-rst",
    license="MIT",
    packages=find_packages(include=["bigcommerce", "bigcommerce.*"]),
    # PEP 561: the marker tells type checkers that the package's own annotations are to be used.
    package_data={"bigcommerce": ["py.typed"]},
    zip_safe=False,
    python_requires=">=3.9",
    install_requires=["requests>=2.25", "PyJWT>=2.4"],
    extras_require={
        # tqdm draws the CLI's progress bars; the library itself never needs it.
        "cli": ["tqdm>=4.60"],
        # orjson parses pages faster (bigcommerce.jsonlib picks it up at import); same results as json.
        "fast": ["orjson>=3.9"],
        # redis backs RedisRateLimiter, one store's quota shared by many processes and machines.
        "redis": ["redis>=4.5"],
        # Tests only: jsonschema and PyYAML read BigCommerce's reference files and validate the
        # sandbox's answers against them; mypy runs a typed user script under --strict; orjson and
        # redis let jsonlib's orjson path and RedisRateLimiter (against a real redis-server) be tested;
        # pytest-xdist runs the suite on two processes (pyproject.toml's addopts), so it stays near
        # two minutes on a 2-core machine.
        "test": [
            "pytest>=7",
            "pytest-xdist>=3",
            "hypothesis>=6",
            "tqdm>=4.60",
            "jsonschema>=4",
            "PyYAML>=5",
            "mypy>=1.0",
            "orjson>=3.9",
            "redis>=4.5",
        ],
        # Sphinx builds the documentation site under docs/ (.ci/checks); only contributors need it.
        "docs": ["sphinx>=7"],
    },
    entry_points={
        "console_scripts": ["bigcommerce = bigcommerce.cli:main"],
        "pytest11": ["bigcommerce_sandbox = bigcommerce.sandbox.pytest_plugin"],
    },
    classifiers=[
        "License :: OSI Approved :: MIT License",
        "Programming Language :: Python :: 3",
        "Programming Language :: Python :: 3.9",
        "Programming Language :: Python :: 3.10",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
        "Programming Language :: Python :: 3.13",
    ],
)
