"""Commands and questions: what callers ask the ledger to do and know."""

from application.details import (
    CatalogueItemDetails,
    FrameworkDetails,
    NewToken,
    OrganisationDetails,
    PersonDetails,
    TokenDetails,
    UserDetails,
)
from application.identity import AuthenticationError
from application.ledger import Ledger, utc_now
from application.settings import ConfigurationError, Database

__all__ = [
    "AuthenticationError",
    "CatalogueItemDetails",
    "ConfigurationError",
    "Database",
    "FrameworkDetails",
    "Ledger",
    "NewToken",
    "OrganisationDetails",
    "PersonDetails",
    "TokenDetails",
    "UserDetails",
    "utc_now",
]
