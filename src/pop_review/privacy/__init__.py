"""Belgian personal data: recognisers and pseudonymisation with typed, consistent placeholders.

``recognizers`` finds INSZ/BIS numbers (mod-97 checked), phone numbers, e-mail addresses, IBANs
(mod-97), street addresses with Belgian postcodes, dates of birth in context, cheque/client/personnel
numbers in context and person names (form labels, salutations, name lists, capitalised name patterns),
each with an explanation. ``pseudonymise`` replaces them with ``[NAAM-1]``-style placeholders that stay
the same for the same person within a document.
"""

from pop_review.privacy.pseudonymise import Pseudonymiser, pseudonymise_text
from pop_review.privacy.recognizers import PiiSpan, find_pii

__all__ = ["PiiSpan", "Pseudonymiser", "find_pii", "pseudonymise_text"]
