"""The third round of lexicon work: general kinds of abuse, threats and hate that the first
rounds missed, and the civil criticism and friendly uses that must stay unflagged.

Every sentence here was written for these tests from the categories named in LEXICONS.md
(not taken from the evaluation set). Each list mixes French and English.
"""

from __future__ import annotations

import pytest

from cmdesk.core.moderation import classify

INSULTS = [
    # Second person, nouns and adjectives, without swear words.
    "You are a complete imbecile.",
    "You guys are absolute clowns.",
    "You're a disgrace to your profession.",
    "You're nothing but a bunch of thieves.",
    "You are all f'ing morons",
    "Are you all this stupid or just the manager?",
    "You dimwits charged me twice.",
    "What a moronic outfit.",
    "Vous êtes une bande de rigolos.",
    "T'es vraiment qu'un pauvre naze.",
    "Vous êtes la honte de la profession.",
    "Vous êtes d'une bêtise affligeante.",
    "Vous êtes des voleurs et des menteurs.",
    # Third person name-calling, appositions, coordination, vocatives.
    "The night manager is a drunk and a liar.",
    "Your employees are brainless sheep.",
    "Whoever wrote this app is a complete idiot.",
    "Shut up, nobody asked you, clown.",
    "Les vendeurs sont des feignasses.",
    "La caissière est une sale vipère.",
    "Le patron, ce rapace.",
    "Vous êtes lamentables, des guignols.",
    "Votre SAV est tenu par des singes.",
    "Ces incapables ont encore perdu ma commande.",
    "Débiles, lisez la commande.",
    "Ferme-la, idiot.",
    # Dehumanising comparisons and evasive spellings.
    "You behave like animals.",
    "Vous vous comportez comme des porcs.",
    "Vous êtes des enc.ulés",
    "Quelle bande de con-nards",
]

THREATS = [
    "We know where you live.",
    "We know where your bakery is, be careful.",
    "You'll regret messing with me.",
    "You'll end up in the ER, mark my words.",
    "I'll burn this dump to the ground.",
    "Someone should burn that place down.",
    "Your little shop might catch fire one night.",
    "It would be a shame if something happened to it.",
    "Someone's going to get hurt if you don't refund me.",
    "You'd better hope I never see you again.",
    "On sait où est ta boutique, faites gaffe.",
    "Je vais te régler ton compte.",
    "Vous allez finir aux urgences.",
    "Je vais tout casser dans ta boutique.",
    "Je vais te mettre une raclée.",
    "Tu vas voir ce que je vais te faire.",
    "Un jour ta vitrine va exploser, qui sait.",
    "Ta famille va payer pour ça.",
]

HATE = [
    "Go back to Asia.",
    "Immigrants out!",
    "These people are cockroaches.",
    "Gays are sick and disgusting.",
    "Retournez au Maroc.",
    "Dehors les étrangers.",
    "Ces gens-là sont des rats.",
    "Rentre chez toi, la France aux Français.",
]

CIVIL = [
    # Harsh criticism of work, products and places: civil.
    "Your service was slow and the staff rude",
    "The app is a bit useless since the update.",
    "What a stupid rule.",
    "The staff were incompetent and the manager useless.",
    "Your support is a joke.",
    "This hotel is a dump.",
    "Le service est un peu nul.",
    "Le gérant est incompétent.",
    "Quelle blague ce service client.",
    "C'est une honte de faire attendre les clients comme ça.",
    "Le patron nous a traités comme des chiens, très déçus.",
    # Friendly uses of risky words.
    "You'll regret not trying the almond croissant!",
    "You won't regret staying here.",
    "We'll be back next week with friends for the brunch.",
    "I know where your shop is now, see you Saturday!",
    "Watch your step on the stairs, they're steep.",
    "I hope you die of laughter at our jokes.",
    "Your prices are criminal, but the quality is there.",
    "Animaux acceptés ?",
    "Porc au caramel délicieux.",
    "The animals at the farm were cute.",
    "This is a dummy account for testing the API.",
    "Is there a cheat sheet for the keyboard shortcuts?",
    "Je vous attends en bas pour la navette, à 8h.",
    "Vous allez avoir des problèmes avec la version 2, mettez à jour.",
    "Rentrez chez vous en toute sécurité avec notre navette.",
    "On va mettre le feu au dancefloor ce soir !",
    "Ça casse tout, ce gâteau.",
    "Nous avons des arriérés de paiement, pouvez-vous envoyer la facture ?",
    "Des bouchées à la reine délicieuses.",
    "Casse-toi pas la tête, disait le serveur, on s'occupe de tout.",
    "Le pain est trop cuit en fin de semaine.",
    "I'm such a fool, I booked the wrong date.",
    "Je suis con, j'ai perdu mon ticket.",
]


@pytest.mark.parametrize("text", INSULTS)
def test_insults_without_swear_words_are_toxic(text):
    scores = classify(text)
    assert scores.toxicity_label == "toxic", scores.reasons


@pytest.mark.parametrize("text", THREATS)
def test_threats_in_other_words(text):
    scores = classify(text)
    assert scores.threat >= 0.5 and scores.toxicity_label == "toxic", scores.reasons


@pytest.mark.parametrize("text", HATE)
def test_hate(text):
    assert classify(text).toxicity_label == "toxic"


@pytest.mark.parametrize("text", CIVIL)
def test_civil_criticism_and_friendly_uses_stay_unflagged(text):
    scores = classify(text)
    assert scores.toxicity_label == "ok" and scores.threat < 0.5, scores.reasons


@pytest.mark.parametrize(
    "text",
    [
        "You are useless.",
        "Vous êtes nuls.",
        "Ce sont des incapables.",
        "You useless lot",
        "Quel personnel incompétent !",
    ],
)
def test_work_judging_words_insult_only_when_aimed_at_people(text):
    assert classify(text).toxicity_label == "toxic"


def test_swearing_in_a_negative_comment_and_in_praise():
    assert classify("What a shitshow this booking was.").toxicity_label == "toxic"
    assert classify("Putain, encore deux heures d'attente pour rien.").toxicity_label == "toxic"
    assert classify("Je ne changerais pour rien au monde, putain c'est bon").toxicity_label == "ok"
    assert classify("This shit is amazing").toxicity_label == "ok"


def test_profile_bait_and_follower_selling_are_spam():
    assert classify("Des abonnés garantis et des likes pas chers sur mon site boost-insta.xyz").spam_label == "spam"
    assert classify("Lovely bakery! See my profile for a surprise 😘").spam_label == "spam"
    assert classify("Vos prix imbattables sur les baguettes, merci !").spam_label == "ok"
