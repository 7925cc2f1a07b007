"""Page furniture by its wording: whether a line's words mark a known kind of it (a byline,
a date stamp, a share row, a caption credit, a comments heading, a "read more" link).

A pattern is trusted only in a line of the length that kind of furniture has, so a
story's paragraph that mentions the same words is not caught.
"""

from __future__ import annotations

import re

from summarizer.text.lines import is_headline, word_count
from summarizer.types import BOILERPLATE, BYLINE

_BYLINE = re.compile(
    r"^(?:(?:posted|post|written|reported|story|words|text|photos?)\s*)?by\s*:?\s*\S"
    r"|^[\w.'\- ]{2,40}\s*[|•·]\s*(?:updated|published|posted)\b"
    r"|^(?:updated|published|posted|last updated)\s*:?\s*\w"
    # "Veröffentlicht am ...", "Publié le ...", "von Jane Doe am 14. Mai 2014"
    r"|^(?:veröffentlicht|erstellt|aktualisiert|geschrieben|publiziert)\s+(?:am|von|in|um)\b"
    r"|^(?:publié le|publicado (?:el|em)|pubblicato il)\b|^von\s+[^.!?]{2,40}\s+am\s+\d",
    re.IGNORECASE,
)
# a line that is only a date or a time stamp: "Tuesday November 19, 2019", "| Nov. 18, 2019
# 12:26 PM", "19/11/2019", "2 days ago at 07:52 am" (a dateline, or a stamp on a list item)
# (German, French, Spanish, Portuguese and Italian dates too: "Dienstag, 4. Juni 2019, 15:54
# Uhr", "14 mai 2014 à 15:40", "4 de junio de 2019")
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
    r"|januar|februar|märz|mai|juni|juli|oktober|dezember"
    r"|janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre"
    r"|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre"
    r"|janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|dezembro"
    r"|gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre)\.?"
)
_WEEKDAY = (
    r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?"
    r"|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag"
    r"|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
    r"|lunes|martes|miércoles|jueves|viernes|sábado|domingo)"
)
_DATE = (
    rf"(?:{_WEEKDAY}\.?,?\s+)?"
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th|\.)?\s+(?:de\s+)?{_MONTH},?\s+(?:de\s+)?\d{{4}}"
    r"|\d{1,4}[./-]\d{1,2}[./-]\d{2,4}"
    r"|(?:\d+|an?|one)\s+(?:sec(?:ond)?s?|min(?:ute)?s?|hours?|hrs?|days?|weeks?|months?|years?)"
    r"\s+ago)"
    r"(?:\W+(?:at\s+|um\s+|à\s+|a las\s+|alle\s+)?\d{1,2}[:.h]\d{2}(?:\s*[ap]\.?m\.?)?"
    r"(?:\s+[a-z]{2,4})?)?"
)
_DATELINE = re.compile(rf"^\W*{_DATE}\W*$", re.IGNORECASE)
# a comment's stamp: its author and date ("Catherine (GiveWell) on September 13, 2018 at
# 5:23 pm said:", "Jane Doe says: 3 days ago")
_COMMENT_STAMP = re.compile(
    rf"^[^.!?]{{2,60}}?\s"
    rf"(?:(?:on\s+)?{_DATE}\s+(?:said|says|wrote)|(?:said|says|wrote)\W+{_DATE})\W*$",
    re.IGNORECASE,
)
_BOILERPLATE = re.compile(
    r"©|^follow \S+(?: \S+)? on\b"
    r"|\b(?:share (?:this|it|on|via)|subscribe|sign (?:up|in)|newsletters?|follow us"
    r"|advert(?:isement)?|all rights reserved|copyright|cookies?|click here|read more"
    r"|continue reading|keep reading|read the rest|related (?:stories|articles"
    r"|news|posts)|(?-i:More [Ff]rom)|you may also like|recommended for you|privacy policy"
    r"|terms of (?:use|service)|log ?in|download (?:our|the) app|most (?:read|popular)"
    r"|inicia(?:r)? sesión|anmelden|einloggen|se connecter|accedi)\b"
    # "More from WIRED" opens a line or is title-cased; "apps and more from a PC" is prose
    r"|^\W*more from\b"
    # labels: "Related: ...", "[Related post: ...]", "Tags:", "12 comments", "More:", reading
    # times ("4 min read", "Tempo de leitura: 1 minuto"), "Also on rt.com ...", "On
    # HoustonChronicle.com: <headline>" (a link to the site's other story)
    r"|^\W*(?:related(?: \w+)?|see also|tags|filed under|more)\s*:|^(?:\d+\s+)?comments?$"
    r"|^\d+\s*min(?:ute)?s?\.?\s+read$|^(?:reading time|tempo de leitura|tiempo de lectura"
    r"|temps de lecture|lesezeit|leestijd)\b|^also on \S+\.\w{2,3}\b|^on \S+\.\w{2,3}\s*:"
    # share-button rows: "Facebook", "Tweet", "FacebookTwitterPinterestEmail", "0 shares"
    r"|^\W*(?:(?:facebook|twitter|e-?mail|print|whatsapp|pinterest|reddit|linkedin|tweet|share"
    r"|flipboard|telegram|copy link|google\+|blogger|stumbleupon|tumblr|pocket|skype"
    # and the bookmarking services of the 2000s: "» email this page | delicious | digg",
    # "Digg it del.icio.us AIM", "Post to del.icio.us Facebook", "Bookmark with:"
    r"|digg(?: it| this(?: story)?)?|del\.?icio\.?us|delicious|technorati|newsvine|fark"
    r"|slashdot|mixx|furl|yahoo ?my ?web|aim|e-?mail this(?: page| story| article)?"
    r"|(?:add|post) to|bookmark(?: (?:with|at|this|us|page))?|rss|stumble"
    r"|what(?:'s this| are these)\?"
    r"|compartir|compartilhar|partager|teilen|condividi|delen"
    r"|\d+\s*shares?)\W*)+$"
    r"|^like this:?$|^like loading|sharing is caring"
    r"|\b(?:alle rechte vorbehalten|tous droits réservés|todos los derechos reservados"
    r"|tutti i diritti riservati|vervielfältigung nur mit genehmigung)\b"
    r"|\b(?:rate this (?:article|story|post)|bewerten sie diesen (?:artikel|beitrag)"
    r"|(?:diesen|den) (?:artikel|beitrag) bewerten)\b|^\W*lesen sie (?:auch|hier|mehr)\b"
    # German share lines and labels: "Diese Geschichte teilen", "Teilen Sie dies mit:",
    # "Anzeige" (an ad), "Alle anzeigen"
    r"|^\W*(?:(?:diese[nrs]? )?(?:geschichte|artikel|beitrag|seite) )?teilen(?: sie dies)?"
    r"(?: mit)?\W*$|^\W*(?:weiterempfehlen|alle anzeigen|anzeige)\W*$"
    # a link's call to action: "Click for the Rolling Stones Gallery", "Tap to enlarge"
    r"|^\W*(?:click|tap) (?:for|to|on|through|below|above)\b",
    re.IGNORECASE,
)
# photo captions and credits, however long the caption: "Photograph: X/Getty Images",
# "Protesters gather in the square (Image: GETTY)", "... (AP Photo/Jane Doe)"
_CAPTION_CREDIT = re.compile(
    r"^(?:photo(?:graph)?|image|picture|illustration|foto|bild|imagen|imagem|фото)s?"
    r"(?: credit)?\s*:|^(?:cr[ée]dito?s?|личный архив)\b"
    r"|\b(?:getty images|afp|ap photo|shutterstock|istock(?:photo)?)\W*$"
    r"|\((?:(?:image|photo|picture|pic|photograph|credit|source|file)s?\s*(?:by|:)"
    r"|ap photo|getty|reuters|afp)[^()]*\)\s*$"  # not [^)]*: rescanned from every "(photo:"
    r"|\b(?:photo|image|picture) (?:credit|courtesy)\b|/(?:ap|reuters|afp)\W*$"
    r"|\b(?:photo|image)s? by [^.]*$"
    # "Image caption ...", "Credit...Doug Mills/The New York Times", "© Jane Doe ...",
    # "Submitted photo", "... (AP)", and a gallery's counter: "Image 1 of 4", "1 / 5"
    r"|^(?:above|below|top|pictured|left|right|main image)\s*:\s*\S"
    r"|^image caption\b|\bcredit\s*(?:\.\.\.|…)|^©|\b(?:submitted|file) (?:photo|image)\b"
    r"|\((?:ap|reuters|afp)\)\s*$|^(?:(?:image|photo|picture|slide)\s+)?\d+\s*(?:/|of)\s*\d+$"
    # a credit closing the caption: "... the crewed Mars mission. Credit: ESA", "... La Paz,
    # Bolivia. © Reuters / David Mercado"
    r"|[.!?]\s+(?:credits?\s*:|©)\s*[^.!?]{2,60}$"
    # the story's own credits: "Fox News' Jessica Napoli contributed to this report."
    r"|\bcontributed (?:to )?(?:this|the) (?:report|story|article)\b",
    re.IGNORECASE,
)
# a photo's caption by its wording, credit or not: "An artist's concept of ...", "This NASA
# image shows ...", "Jane Doe, left, speaks with ...", "Jane Doe, pictured at ..."
_CAPTION = re.compile(
    r"^(?:an?\s+)?artist['’]?s\s+(?:concept|illustration|impression|rendering)\b"
    r"|^this\s+(?:[\w.'’-]+\s+){0,4}"
    r"(?:image|photo(?:graph)?|picture|illustration|rendering|graphic|screenshot)\s+(?:shows|taken)\b"
    r"|^(?-i:[A-Z])[^!?]{2,80}?,\s+(?:left|right|cent(?:er|re)|second\s+(?:from\s+)?(?:left|right))"
    r"\s*(?:,|and\b)"
    r"|,\s+pictured\s+(?:in|at|with|on|during)\b",
    re.IGNORECASE,
)
# the site's legal notices: "... is a registered trademark of ...", "These statements have
# not been evaluated by the Food and Drug Administration", "for informational purposes only",
# "... is not responsible for the content of external sites"
# (a story reports that a product "has not been evaluated", a notice says "these statements")
_LEGAL = re.compile(
    r"\b(?:is|are) (?:a )?registered trademarks? of\b"
    r"|\bthese statements have not been evaluated by\b"
    r"|\bfor (?:general )?informational purposes only\b"
    r"|\bnot intended to (?:diagnose|be a substitute)\b"
    r"|\bnot responsible for the content of (?:external|third[- ]party|linked|other)\b"
    # a wiki's footer: "This page was last edited on ...", "Diese Seite wurde zuletzt am ..."
    r"|\bthis page was last (?:edited|modified)\b|\bdiese seite wurde zuletzt am\b"
    # cookie notices: "We use cookies to ...", "Wir verwenden Cookies, um ..."
    r"|\b(?:we|wir|nous) (?:use|verwenden|nutzen|utilisons)(?: des)? cookies\b"
    r"|\b(?:this|diese) (?:site|website|webseite|seite) (?:uses|verwendet|nutzt) cookies\b",
    re.IGNORECASE,
)
# a breadcrumb trail: "Home » Recipes » Sharing » Olive & Herb Focaccia Bread" (not French
# quotes: "« 1 » ou « 1* »")
_BREADCRUMB = re.compile(r"^[^»›«]{1,40}(?:\s[»›]\s[^»›«]{1,60}){2,}$")
# an author's bio: "Jane Doe is a senior writer for WIRED, covering ...", "John Smith writes
# about policy ..." (a name of two to four capitalised words, maybe a handle or an address in
# brackets, then the job)
_AUTHOR_BIO = re.compile(
    r"^(?!(?:The|A|An|As|In|On|At|For|But|And|When|While|After|If)\b)"
    r"(?:[A-Z][\w.'’-]*\s+){1,3}[A-Z][\w.'’-]*,?\s+(?:\([^)]*@[^)]*\)\s+)?"
    r"(?i:(?:is|was|has been)\s+(?:a|an|the)\s.{0,80}?\b(?:reporter|writer|journalist|editor"
    r"|correspondent|columnist|contributor|author|professor|founder|producer|analyst|fellow"
    r"|freelance)|(?:writes|covers|reports) (?:about|on|for)\b)"
)
# calls to action, which run longer than a share line: "Sign up for our daily newsletter ..."
_CALL_TO_ACTION = re.compile(
    r"\b(?:sign(?:ing)? up|subscribe|subscription|register)\b.*"
    r"\b(?:newsletters?|e-?mails?|inbox|daily|weekly|updates|alerts)\b"
    r"|\b(?:newsletters?|e-?mails?|inbox|alerts)\b.*\b(?:sign(?:ing)? up|subscribe)\b"
    r"|\babonnieren\b.*\bnewsletter|\bnewsletter\b.*\babonnieren\b"
    r"|\bdelivered (?:to|through|into) your (?:inbox|letterbox|door)"
    # paywall notices: "To view the full story, please subscribe ...", "already a subscriber"
    r"|\balready (?:a )?(?:subscriber|member)\b|\bsubscribers? (?:also )?(?:receive|get|enjoy)\b"
    r"|\b(?:to|please) (?:view|read|continue reading|access) (?:the|this) (?:full )?"
    r"(?:story|article)\b|\bsubscribe (?:now|today)\b"
    # the site's own pitches: "Get breaking space news ...", "Join our Space Forums ...",
    # "Subscribe to our sister title ...", "Support Snopes and make a difference ..."
    r"|^get (?:breaking|the latest|our)\b|\bsubscribe to our\b"
    r"|^join (?:our|the) [^.!?]{0,40}\b(?:forums?|community|newsletter|mailing list)\b"
    r"|^support (?:us|our|\w+ (?:and|so|today|by))\b",
    re.IGNORECASE,
)
# a post's filing line, however many categories and tags it lists: "This entry was posted in
# News and tagged ...", "Dieser Beitrag wurde veröffentlicht in ... und verschlagwortet mit"
_FILED = re.compile(
    r"^(?:this (?:entry|post) was posted (?:in|on)\b"
    r"|(?:dieser|der) (?:beitrag|eintrag|artikel) wurde\b[^!?]{0,80}\b(?:veröffentlicht|abgelegt)"
    r"|(?:erstellt|veröffentlicht|geschrieben) am\b[^!?]{0,60}"
    r"\b(?:abgelegt unter|veröffentlicht in)"
    r"|ce (?:billet|article) a été publié dans\b)",
    re.IGNORECASE,
)
# affiliate and sponsorship disclosures: "We may receive compensation when you click ..."
_DISCLOSURE = re.compile(
    r"\b(?:we|i) (?:may )?(?:receive|earn|get|make) (?:a )?(?:small )?"
    r"(?:compensation|commissions?|fees)\b"
    r"|\baffiliate (?:links?|advertising|program|partnerships?|commissions?)\b"
    r"|\bamazon (?:services llc )?associates? program\b|\bas an amazon associate\b"
    # "Für Links auf dieser Seite erhält CHIP ggf. eine Provision", "Partnerlinks"
    r"|\b(?:erhält|erhalten|bekommt|bekommen|verdient|verdienen)\b[^!?]{0,40}\bprovision\b"
    r"|\b(?:partner|affiliate)-?links?\b",
    re.IGNORECASE,
)
# headings that open the comments, in English and the main Western European languages
_COMMENTS_HEADING = re.compile(
    r"^\W*(?:\d+\s+)?(?:top(?: rated)?\s+|recent\s+|latest\s+|reader\s+|user\s+)?"
    r"(?:comments?|responses?|replies)\W*$"
    r"|^\W*(?:leave|post|add|write)\s+a\s+(?:comment|reply|response)"
    r"|^\W*(?:read|view|show|see)\s+(?:all\s+)?(?:\d+\s+)?comments"
    r"|^\W*\d+\s+(?:comments?|responses?|replies|thoughts)\b|^\W*permalink\b.*\bcomments\b"
    r"|^\W*(?:kommentare?|commentaires?|coment[áa]rios?|commenti|reacties)\W*$"
    r"|^\W*(?:want to )?join the (?:conversation|discussion)|^\W*discussions?\W*$"
    r"|^\W*(?:load(?:ing)?|show|view|last|latest|recent)\s+(?:\d+\s+)?comments\b"
    r"|^\W*comments are closed|^\W*(?:se han publicado )?\d+\s+comentarios\b"
    r"|^\W*(?:lascia un commento|hinterlasse einen kommentar|kommentar verfassen"
    r"|schreibe einen kommentar|kommentar (?:schreiben|hinzufügen|abgeben)"
    r"|kommentieren(?: sie hier)?\W*$|hinterlasse eine antwort|keine kommentare"
    r"|kommentare sind geschlossen"
    r"|laisser un commentaire|deja un comentario|deixe (?:um|seu) coment[áa]rio)"
    r"|^\W*(?:\d+\s+)?(?:комментари(?:и|ев|й)|отзывы)\W*$"
    r"|^\W*(?:оставить|добавить|написать) (?:комментарий|отзыв)",
    re.IGNORECASE,
)
# headings that open a page's lists of other stories or the author's bio
_SECTION_HEADING = re.compile(
    r"^\W*(?:related|more|similar|recommended|popular|trending|latest|recent|other)\s+"
    r"(?:stories|articles|news|posts|reads|videos|content|links|coverage|reading|topics"
    r"|tags|from|on|in)\b"
    # a related list named for the story's subject: "Related Rolling Stones Content"
    r"|^\W*related\s+(?:\S+\s+){1,4}(?:stories|articles|news|posts|videos|content|links"
    r"|coverage)\W*$"
    r"|^\W*(?:(?:about|meet) the authors?|authors?|author bio|about me)\W*$"
    r"|^\W*(?:you (?:may|might) (?:also )?like|most (?:read|popular|viewed)|recommended for you"
    r"|don't miss|sponsored (?:links|content|stories)|(?:previous|next) (?:post|article|story))\b"
    # the other names of a box of the site's stories, as the whole line: "Top stories",
    # "Headlines", "Most shared", "Editor's picks", "In other news", "Around the web"
    r"|^\W*(?:top (?:stories|news|headlines|articles|reads|videos)|(?:latest |more |today['’]s )?"
    r"headlines|(?:today['’]s |this week['’]s )?most[- ](?:read|popular|viewed|shared|e-?mailed"
    r"|commented|watched|sent|clicked)(?: (?:stories|articles|news|now|today|this week))?"
    r"|editor['’]?s['’]? (?:picks|choice)|in other news|(?:what to )?read next"
    r"|(?:from )?around the web|(?:promoted|paid) (?:stories|content|links)|trending now)\W*$"
    # the related-stories headings of German, French, Spanish, Portuguese, Italian and
    # Dutch pages
    r"|^\W*(?:ähnliche (?:artikel|beiträge)|weitere (?:artikel|beiträge|themen)|mehr zum thema"
    r"|das könnte sie auch interessieren|beliebte (?:beiträge|artikel)(?: zum thema)?"
    r"|meistgelesen(?:e (?:artikel|beiträge))?|aktuelle (?:news|nachrichten|beiträge)"
    r"|neueste (?:beiträge|artikel)|das thema könnte (?:sie|dich) auch interessieren"
    r"|articles? similaires|sur le même sujet"
    r"|art[íi]culos relacionados|noticias relacionadas|(?:también )?te puede interesar"
    r"|artigos relacionados|not[íi]cias relacionadas|articoli correlati"
    r"|potrebbe interessarti|gerelateerde artikelen"
    # "you may also like"
    r"|voc[êe] (?:tamb[ée]m )?(?:pode|poder[áa]) gostar|(?:también )?te puede gustar"
    r"|vous aimerez (?:aussi|également)|ti potrebbe (?:anche )?piacere"
    r"|(?:das )?könnte (?:sie|dich) auch interessieren"
    # Russian: "read also", "you may also be interested / like", "similar articles", "on the
    # same topic"
    r"|читайте также|вам (?:также |тоже )?может (?:быть интересно|понравиться)"
    r"|похожие (?:статьи|записи|новости|материалы)|другие (?:статьи|новости|материалы)"
    r"|материалы по теме)\W*$",
    re.IGNORECASE,
)
# a comments heading quoting the story's title, however long: "11 responses to “The ...”"
_RESPONSES_TO = re.compile(
    r"^\W*\d+\s+(?:comments?|responses?|replies|thoughts)\s+(?:to|on)\s+[\"“'‘]", re.IGNORECASE
)
# the notice atop a comment form: "Comments are moderated", "Comentários com textos ... não
# serão aprovados", "Kommentare werden vor der Freischaltung geprüft"
_MODERATION = re.compile(
    r"\bcomments?\s+(?:are|is|will be|may be|must be)\s+(?:\w+\s+){0,2}(?:moderated|reviewed"
    r"|approved)\b|\bcomment moderation\b|\b(?:awaiting|subject to|pending) moderation\b"
    r"|\bcoment[áa]rios?\b[^.!?]{0,80}\bser[ãa]o (?:aprovados|moderados|revisados)"
    r"|\bkommentare?\b[^.!?]{0,80}\b(?:geprüft|freigeschaltet|moderiert)"
    r"|\bcommentaires?\b[^.!?]{0,80}\b(?:modérés|validés)",
    re.IGNORECASE,
)
# lead-ins to links ("Read more", "See also", "Lesen Sie auch", "Leggi anche:"): a heading
# over a list of other stories, but "Read more: <headline>" is one link inside the story
_READ_ALSO = re.compile(
    r"^\W*(?:read (?:more|next)|also read|see also|lesen sie auch|auch interessant"
    r"|(?:à )?lire aussi|voir aussi|lee también|también lea|m[áa]s informaci[óo]n|leia também"
    r"|saiba mais|leggi anche|lees ook)\b(?!\s*:\s*\S)",
    re.IGNORECASE,
)
# an item of a dated list (tour dates, a police log): "June 19 – Charlotte, NC @ PNC Music
# Pavilion", "October 20: ACCIDENT – A vehicle ..."
_DATED_ITEM = re.compile(
    rf"^(?:{_MONTH}\s+\d{{1,2}}|\d{{1,2}}\.?\s+{_MONTH})(?:,?\s+\d{{4}})?\s*[-–—:|@]+\s*\S",
    re.IGNORECASE,
)
# a link to the site's other media on the story, set into it by a label: "Gallery | Scenes
# from the storm", "Interactive guide: How winter storms form", "VIDEO: ...", "In pictures:
# ...", "Full coverage: ..." (not "Graphic:" or "Audio:", the items of a spec sheet)
_MEDIA_LINK = re.compile(
    r"^\W*(?:(?:photo |video |picture )?galler(?:y|ies)|slide ?shows?|photos|pictures"
    r"|in pictures|videos?|watch|interactive(?: [a-z]+)?|full coverage|special report)"
    r"\s*[:|]\s*\S",
    re.IGNORECASE,
)
# a label on its own line above the one link it introduces: "Related", "Recommended:",
# "Also on rt.com"
_LINK_LABEL = re.compile(r"^\W*(?:related|recommended|also on \S+)\W*$", re.IGNORECASE)
# the link under a teaser card's snippet: "Read more", "READ THE REST", "Continue reading"
_READ_MORE = re.compile(
    r"^\W*(?:read (?:more|the rest|(?:the )?full (?:story|article|post))|continue reading"
    r"|keep reading|weiterlesen|mehr lesen|lire la suite|leer m[áa]s|ler mais|leggi tutto)\W*$",
    re.IGNORECASE,
)
_MAX_PATTERN_WORDS = 15
# a notice or pitch runs to a few sentences; a story's paragraph that mentions the same
# words ("His comments ... an opening for moderates") runs longer
_MAX_NOTICE_WORDS = 40
# (pattern, most words a block it matches may have, kind): a pattern is trusted only in a
# block of the length that kind of line has; first match wins
_PATTERNS = (
    (_BYLINE, _MAX_PATTERN_WORDS, BYLINE),
    (_DATELINE, _MAX_PATTERN_WORDS, BYLINE),
    (_COMMENT_STAMP, _MAX_PATTERN_WORDS, BYLINE),
    (_BOILERPLATE, _MAX_PATTERN_WORDS, BOILERPLATE),
    (_CALL_TO_ACTION, _MAX_NOTICE_WORDS, BOILERPLATE),
    (_DISCLOSURE, 60, BOILERPLATE),
    (_FILED, _MAX_NOTICE_WORDS, BOILERPLATE),
    (_AUTHOR_BIO, 80, BOILERPLATE),
    (_CAPTION_CREDIT, 80, BOILERPLATE),
    (_CAPTION, 80, BOILERPLATE),
    (_BREADCRUMB, 40, BOILERPLATE),
    (_LEGAL, 80, BOILERPLATE),
    (_READ_ALSO, _MAX_PATTERN_WORDS, BOILERPLATE),
    (_LINK_LABEL, _MAX_PATTERN_WORDS, BOILERPLATE),
    (_READ_MORE, _MAX_PATTERN_WORDS, BOILERPLATE),
)


def pattern_kind(text: str) -> str | None:
    """The kind of page furniture the line is by its wording alone (None: no pattern)."""
    words = word_count(text)
    return next(
        (kind for pattern, most, kind in _PATTERNS if words <= most and pattern.search(text)),
        None,
    )


def is_section_heading(text: str) -> bool:
    """A heading that opens comments, a list of other stories or the author's bio."""
    return is_comments_heading(text) or (
        word_count(text) <= _MAX_PATTERN_WORDS
        and bool(_SECTION_HEADING.search(text) or _READ_ALSO.search(text))
    )


def is_comments_heading(text: str) -> bool:
    """A heading that opens the comments ("34 Comments", "Leave a reply", "11 responses to
    “<the story's title>”", however long that one runs), or the moderation notice atop a
    comment form ("Comments are moderated and ..."), which opens them as surely."""
    return (
        bool(_RESPONSES_TO.search(text))
        or (word_count(text) <= _MAX_PATTERN_WORDS and bool(_COMMENTS_HEADING.search(text)))
        or (word_count(text) <= _MAX_NOTICE_WORDS and bool(_MODERATION.search(text)))
    )


def is_read_also(text: str) -> bool:
    """A lead-in to links ("Read more", "See also", "Leggi anche:"): a section heading when
    it stands once, but repeated on a page it marks single links inside the story."""
    return bool(_READ_ALSO.search(text))


def is_media_link(text: str) -> bool:
    """A labeled link to a gallery, a video or an interactive on the story ("Gallery |
    Scenes from the storm"), shaped as a headline: set between the story's paragraphs, it
    reads as on-topic as they do."""
    return bool(_MEDIA_LINK.match(text)) and is_headline(text)


def is_link_label(text: str) -> bool:
    """A bare label above a single link ("Related", "Recommended"): where "Read more" may
    head a list of other stories, these mark one link set into the story."""
    return bool(_LINK_LABEL.search(text))


def is_dateline(text: str) -> bool:
    """Only a date or a time stamp ("Tuesday November 19, 2019", "2 days ago at 07:52 am"),
    or a comment's stamp: its author and date ("Jane on May 2, 2019 at 5:23 pm said:")."""
    return bool(_DATELINE.search(text) or _COMMENT_STAMP.search(text))


def is_dated_item(text: str) -> bool:
    """A list item led by its date ("June 19 – Charlotte, NC @ PNC Music Pavilion")."""
    return bool(_DATED_ITEM.match(text))


def is_read_more(text: str) -> bool:
    """Only a link to the rest of a story ("Read more", "READ THE REST")."""
    return bool(_READ_MORE.match(text))
