"""Categories, brands, options and option sets."""

from bigcommerce.resources.base import (
    FullApiResource,
    FullApiSubResource,
    subresource,
)


class Categories(FullApiResource):
    resource_name = "categories"


class Brands(FullApiResource):
    resource_name = "brands"


class OptionSets(FullApiResource):
    resource_name = "option_sets"

    options = subresource("OptionSetOptions")


class OptionSetOptions(FullApiSubResource):
    parent_resource = "option_sets"
    parent_key = "option_set_id"
    resource_name = "options"


class Options(FullApiResource):
    resource_name = "options"

    values = subresource("OptionValues")


class OptionValues(FullApiSubResource):
    parent_resource = "options"
    parent_key = "option_id"
    resource_name = "values"
