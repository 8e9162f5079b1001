"""Categories, brands, options and option sets."""
from bigcommerce.resources.base import (
    FullApiResource as Full,
    FullApiSubResource as SubFull,
    subresource,
)


class Categories(Full):
    resource_name = "categories"


class Brands(Full):
    resource_name = "brands"


class OptionSets(Full):
    resource_name = "option_sets"

    options = subresource("OptionSetOptions")


class OptionSetOptions(SubFull):
    parent_resource = "option_sets"
    parent_key = "option_set_id"
    resource_name = "options"


class Options(Full):
    resource_name = "options"

    values = subresource("OptionValues")


class OptionValues(SubFull):
    parent_resource = "options"
    parent_key = "option_id"
    resource_name = "values"
