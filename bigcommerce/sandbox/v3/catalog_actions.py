"""placeholder"""
from typing import List
from .engine import Route
ROUTES: List[Route] = []
