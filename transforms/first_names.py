"""Given names that tell a person's gender: world knowledge, like `countries.py`.

A pronoun ("she said") can only refer to a person of its gender; most articles never say
"Mr" or "Ms", but the given name usually tells. These are common given names of the
English-language press (US, UK, European and world leaders' names), chosen to be
unambiguous: names given to both boys and girls (Jordan, Taylor, Leslie, Robin, Jean...)
are left out, so they stay unknown rather than guessed.

The typed lists are `lexicons/news_given_names.toml`; beside them, `lexicons/given_names.toml`
holds the names they lack that names-dataset gives to one gender in at least 99 bearers of 100
(built by bench/build_given_names.py). A typed name keeps its gender: the dataset's shares, drawn from
social-network profiles, are noisy for the names news is about (Hillary 78% women).
"""
from transforms.lexicons import words

MALE = words("news_given_names", "male")
FEMALE = words("news_given_names", "female")

# The names-dataset supplement (see above); it holds no typed name.
MORE_MALE = words("given_names", "male")
MORE_FEMALE = words("given_names", "female")


def gender_of_given_name(name: str) -> str | None:
    """'m' or 'f' for a known given name (any case), else None."""
    key = name.casefold().strip(".")
    if key in MALE:
        return "m"
    if key in FEMALE:
        return "f"
    if key in MORE_MALE:
        return "m"
    if key in MORE_FEMALE:
        return "f"
    return None
