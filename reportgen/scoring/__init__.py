"""Score answers: item -> respondent -> group -> region -> composite; the disclosure rule."""
