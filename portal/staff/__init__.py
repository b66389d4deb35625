"""Staff pages: the home of signed-in library staff, activities and reflections, the exchange bank, and
digital-maturity self-assessments. Here because they reach both floors: teams' sharing and resources' search."""
