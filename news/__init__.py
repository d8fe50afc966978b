"""The team's news (Notizie), /notizie/ and its Atom feed."""
