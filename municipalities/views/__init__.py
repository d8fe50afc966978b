"""The views of the comuni; ``municipalities/urls.py`` imports the modules.

Public, no sign-in: ``public`` (the list and map of the 108 comuni, each comune's page, the CSV file). The comuni
have no reserved area of their own: what staff do about a comune lives with the feature (istanze, positions).
"""
