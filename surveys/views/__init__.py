"""The questionnaire's views by audience: ``public`` (citizens: answering, results, open data) and
``manage`` (the reserved area: the team's builder and exports, promotion for the team and the offices)."""
