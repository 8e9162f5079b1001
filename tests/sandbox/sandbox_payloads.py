"""Request bodies shared by the sandbox's tests (a module name of its own, so importing it never
depends on which ``conftest`` pytest put on ``sys.path`` first)."""

NEW_PRODUCT = {
    "name": "Test Widget",
    "type": "physical",
    "price": "12.5",
    "categories": [1],
    "availability": "available",
    "weight": 1.5,
}
