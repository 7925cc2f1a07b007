"""The built-in defaults the schema starts from: topic labels with their descriptions,
the embedding backend's prompt templates, the chat prompt and the boilerplate examples.

Data, not logic: kept apart so the schema reads as the list of knobs it is.
"""

from __future__ import annotations

DEFAULT_LABELS: dict[str, str] = {
    "defense": "military, armed forces, troops, weapons and national security",
    "diplomacy": "diplomacy, foreign relations, summits, treaties and alliances between countries",
    "politics": "politics, government, elections, political parties and legislation",
    "economy": "the economy, inflation, interest rates, trade, jobs and economic growth",
    "business": "business, companies, corporate earnings, markets, deals and industry",
    "technology": "technology, computers, the internet, software, gadgets and telecoms",
    "science": "science, research, space exploration and discoveries",
    "health": "health, medicine, disease, hospitals and healthcare",
    "environment": "the environment, climate change, pollution, energy and wildlife",
    "crime and law": "crime, police, courts, trials, lawsuits and the law",
    "disaster and accidents": "natural disasters, accidents, crashes, fires, storms and rescues",
    "sports": "sports, matches, athletes, teams, tournaments and championships",
    "entertainment": "entertainment, film, music, television, celebrities and the arts",
}


DEFAULT_CHAT_PROMPT = (
    "Summarize the following news article in two or three sentences. "
    "Reply with the summary only.\n\n{article}"
)


DEFAULT_TEMPLATES = (
    "This news article is about {}.",
    "{}",
    "A news story about {}.",
    "News about {}.",
)


BOILERPLATE_EXAMPLES = (
    "Jane Doe is a senior reporter and the author of two books. She lives in Chicago with "
    "her family.",
    "About the author: John Smith writes about technology and business for the magazine.",
    "Follow her on Twitter and Instagram.",
    "Sign up for our free daily newsletter to get the top stories delivered to your inbox.",
    "We use cookies to improve your experience. By using this site you agree to our privacy "
    "policy.",
    "Your email address will not be published. Required fields are marked.",
    "This site uses Akismet to reduce spam. Learn how your comment data is processed.",
    "The views expressed in this article are those of the author and do not reflect the "
    "official policy.",
    "Copyright 2019 Example Media. All rights reserved. This material may not be published "
    "or redistributed.",
    "Click here to subscribe and get unlimited access to all of our journalism.",
    "Thank you for reading. Please support independent journalism by making a donation today.",
)
