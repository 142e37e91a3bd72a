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
