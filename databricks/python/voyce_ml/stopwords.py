"""English stop words for keyword candidates (function words plus the filler of spoken feedback)."""

STOPWORDS = frozenset(
    """
    a about above actually after again against all already also always am an and any anyone anything
    are aren't as at basically be because been before being below between bit both btw but by can can't
    cannot cant could couldn't did didn't didnt do does doesn't doesnt doing don't dont down during
    each even every everyone everything few for from further get gets getting go goes going gonna got
    guys had hadn't haha has hasn't have haven't having he he'd he'll he's hello her here here's hers
    herself hey hi him himself his hmm how how's i i'd i'll i'm i've if im in into is isn't isnt it
    it's its itself ive just kind kinda let's like literally lol lot lots many me more most much
    mustn't my myself never no nor not of off ok okay on once one only or other ought our ours
    ourselves out over own please pls plz really same shan't she she'd she'll she's should shouldn't
    single so some someone something sort still stuff such tbh than thank thanks that that's thats the
    their theirs them themselves then there there's these they they'd they'll they're they've thing
    things this those three through time times to today too two u uh um under until up ur very wanna
    was wasn't way we we'd we'll we're we've well were weren't what what's when when's where where's
    which while who who's whom why why's with won't wont would wouldn't yeah yes you you'd you'll
    you're you've your yours yourself yourselves
    """.split()
)

# Other languages: articles, pronouns, auxiliaries, prepositions, conjunctions and the filler of spoken
# feedback (hand-written for this project). A language not listed here falls back to the English list.
BY_LANGUAGE: dict[str, frozenset[str]] = {
    "en": STOPWORDS,
    "de": frozenset(
        """
        aber alle alles als also am an auch auf aus bei beim bin bis bitte bist da dann das dass dem den der des
        dich die dies diese diesem diesen dieser doch dort du durch ein eine einem einen einer eines er es etwas
        euch euer für gar gibt habe haben hat hatte ich ihr ihre im immer in ist ja jede jedem jeden jeder jedes
        jetzt kann kein keine können könnt man mal mehr mein meine meinem meinen meiner mich mir mit muss nach
        nicht nichts noch nun nur ob oder ohne schon sehr sein seine sich sie sind so soll über um und uns unser
        vom von vor war waren warum was weil wenn wer werden wie wieder wir wird wo wurde zu zum zur
        """.split()
    ),
    "fr": frozenset(
        """
        à ai au aussi aux avec avez avoir bien c ça ce cela ces cet cette chaque comme comment d dans de des
        du elle en est et été être eu fait il ils j je l la le les leur lui m ma mais me même mes moi mon n ne
        nous on ou où par pas peut plus pour pourquoi pouvez qu que quand qui s sa sans se ses si son sont sur
        ta te tes toi ton tous tout très tu un une vos votre vous y
        """.split()
    ),
    "es": frozenset(
        """
        a al algo como con cuando de del desde donde el ella en era es esa ese eso esta este esto estoy hay la
        las le lo los me mi mis muy más nada ni no nos o para pero por porque que qué se si sin sobre son su sus
        también te tengo tiene todo todos tu un una uno y ya yo
        """.split()
    ),
    "pt": frozenset(
        """
        a ao aos as com como da das de do dos e é ela ele em era essa esse está eu foi há isso isto já lhe mais
        mas me meu minha muito na nas não no nos o os ou para pela pelo por porque que se sem ser seu sua são
        também te tem tenho todo um uma você
        """.split()
    ),
    "it": frozenset(
        """
        a ad al alla alle anche che chi ci come con da dal dalla del della delle di e è ed era gli ha ho i il in
        io la le lei li lo lui ma mi mia mio molto ne nei nel nella no non o per perché più quando questa questo
        se si sono su sua suo ti tu tutto un una uno
        """.split()
    ),
}


def for_language(language: str) -> frozenset[str]:
    """Stop words of an ISO 639-1 language (English ones always included: product words mix in)."""
    own = BY_LANGUAGE.get(language)
    return STOPWORDS if own is None or own is STOPWORDS else own | STOPWORDS
