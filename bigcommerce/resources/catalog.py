"""Categories, brands, options and option sets."""
from bigcommerce.resources.base import (
    CollectionDeleteableApiResource as CollectionDeleteable,
    CollectionDeleteableApiSubResource as SubCollectionDeleteable,
    CountableApiResource as Countable,
    CountableApiSubResource as SubCountable,
    CreateableApiResource as Createable,
    CreateableApiSubResource as SubCreateable,
    DeleteableApiResource as Deleteable,
    DeleteableApiSubResource as SubDeleteable,
    ListableApiResource as Listable,
    ListableApiSubResource as SubListable,
    UpdateableApiResource as Updateable,
    UpdateableApiSubResource as SubUpdateable,
    subresource,
)


class Categories(Listable, Createable, Updateable, Deleteable, CollectionDeleteable, Countable):
    resource_name = "categories"


class Brands(Listable, Createable, Updateable, Deleteable, CollectionDeleteable, Countable):
    resource_name = "brands"


class OptionSets(Listable, Createable, Updateable, Deleteable, CollectionDeleteable, Countable):
    resource_name = "option_sets"

    options = subresource("OptionSetOptions")


class OptionSetOptions(SubListable, SubCreateable, SubUpdateable, SubDeleteable, SubCollectionDeleteable,
                       SubCountable):
    parent_resource = "option_sets"
    parent_key = "option_set_id"
    resource_name = "options"


class Options(Listable, Createable, Updateable, Deleteable, CollectionDeleteable, Countable):
    resource_name = "options"

    values = subresource("OptionValues")


class OptionValues(SubListable, SubCreateable, SubUpdateable, SubDeleteable, SubCollectionDeleteable,
                   SubCountable):
    parent_resource = "options"
    parent_key = "option_id"
    resource_name = "values"
