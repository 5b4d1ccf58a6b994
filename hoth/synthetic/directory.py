"""About 150 invented support services across the demonstration towns, for
the support services directory (hoth.directory).

Every service, provider and contact here is invented. Phone numbers come from
Ofcom's range reserved for drama (01632 960000 to 960999) and addresses on the
web from example.org, so nobody real is ever rung or emailed from a demo.

The children's descriptions are written for a reading age of 11 or under:
short sentences, everyday words, speaking to the child. A test checks each
one with the same measure the staff form uses.
"""

import random
import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction

from .data import ANCHOR_DATE_ISO, TOWNS

# Neighbouring towns share some services, as they would in a real partnership.
AREAS = [
    ("Crewe and Nantwich", ["Crewe", "Nantwich"]),
    ("Macclesfield and Poynton", ["Macclesfield", "Poynton"]),
    ("Congleton, Sandbach and Alsager", ["Congleton", "Sandbach", "Alsager"]),
    ("Wilmslow, Handforth and Knutsford", ["Wilmslow", "Handforth", "Knutsford"]),
    ("Middlewich and Holmes Chapel", ["Middlewich", "Holmes Chapel"]),
]

PROVIDER = "Cheshire East Council"


@dataclass(frozen=True)
class Kind:
    name: str  # may contain {place}
    provider: str
    offers: str
    adult: str
    child: str  # may contain {place}
    needs: tuple
    harms: tuple
    ages: tuple
    self_referral: bool = True
    professional_referral: bool = True
    for_children: bool = True
    for_parents: bool = True


TOWN_KINDS = [
    Kind(
        "{place} Youth Club",
        "Cheshire East Youth Service",
        "Evening youth club with games, music, sport and trained youth workers",
        "An open-access youth club run by qualified youth workers. Young people can drop in, take part in "
        "activities and talk to a worker in confidence. Workers know the local risks of exploitation and can "
        "link young people to further support.",
        "This is a club for young people in {place}. You can play games, make music and meet friends. "
        "The youth workers are friendly. You can talk to them about anything that worries you.",
        ("youth-club", "someone-to-talk-to"),
        (),
        (11, 19),
    ),
    Kind(
        "{place} Family Hub",
        PROVIDER,
        "Help for families in one place: parenting, money, health and early help",
        "The family hub brings together early help, health visiting, parenting programmes and advice on money "
        "and housing. Families can drop in or be referred. Staff can start an early help assessment.",
        "The family hub helps families. If things are hard at home, they can help your mum, dad or carer. "
        "You can go there with them.",
        ("family-support", "money", "housing"),
        (),
        (0, 19),
    ),
    Kind(
        "School Nurse Drop-in ({place})",
        "Cheshire East School Nursing Service",
        "Confidential health drop-in for secondary school pupils",
        "Weekly confidential drop-ins in secondary schools, plus a text messaging service. School nurses give "
        "advice on emotional health, sexual health, relationships, sleep and substance use, and refer on.",
        "The school nurse is there to help you. You can ask about your body, your feelings or your health. "
        "What you say stays private, unless you are in danger.",
        ("sexual-health", "mental-health", "someone-to-talk-to"),
        ("cse", "teenage-relationship-abuse"),
        (11, 19),
    ),
    Kind(
        "{place} Detached Youth Work Team",
        "Cheshire East Youth Service",
        "Youth workers who meet young people in parks, streets and town centres",
        "Detached youth workers go to where young people gather, build trusting relationships and offer advice "
        "on safety, drugs, alcohol and exploitation. They share concerns with the exploitation team.",
        "These youth workers come to the park and the town. You can chat to them. If someone is making you do "
        "things you do not want to do, they can help you stay safe.",
        ("scared-of-someone", "drugs-alcohol", "someone-to-talk-to"),
        ("cce", "serious-youth-violence"),
        (10, 19),
    ),
    Kind(
        "{place} Library Homework Club",
        "Cheshire East Libraries",
        "Free homework help after school, with computers and quiet space",
        "A free after-school homework club with volunteers, computers and printing. A safe, supervised space "
        "for children who need somewhere to go after school.",
        "Come to the library after school. You can do your homework and use the computers. Kind helpers can "
        "help you with your work. It is free.",
        ("help-at-school", "youth-club"),
        (),
        (8, 16),
        professional_referral=False,
    ),
    Kind(
        "{place} Sports Hub",
        "Everybody Sport and Recreation (demo)",
        "Free and low-cost sport sessions for young people",
        "Free and low-cost football, boxing, dance and swimming sessions in school holidays and evenings, "
        "with positive role models. Used by the youth justice and exploitation teams as a diversion activity.",
        "Try football, boxing, dance or swimming. Many sessions are free. You can have fun, get fit and meet "
        "new people.",
        ("youth-club",),
        ("serious-youth-violence",),
        (8, 18),
    ),
    Kind(
        "{place} Parent Support Group",
        "Parents Against Exploitation (demo)",
        "A monthly group for parents and carers worried about exploitation",
        "A peer support group for parents and carers whose children are being exploited or are at risk. "
        "Led by a trained family worker, it offers understanding, practical advice and help with meetings "
        "with professionals.",
        "This group is for your mum, dad or carer. It helps grown-ups who are worried about their child. "
        "They can talk to other parents and get advice.",
        ("family-support",),
        ("cse", "cce", "trafficking"),
        (0, 18),
        for_children=False,
    ),
    Kind(
        "{place} Advice Centre",
        "Citizens Advice Cheshire East (demo)",
        "Free advice on money, benefits, housing and legal problems",
        "Free, independent advice on debt, benefits, housing and employment. Young people aged 16 and over "
        "can get advice on their own; staff can help families facing eviction or debt linked to exploitation.",
        "If you are 16 or over, you can get free help with money, a place to live or a problem with the law. "
        "They will explain things in a clear way.",
        ("money", "housing", "legal"),
        (),
        (16, 25),
    ),
]

AREA_KINDS = [
    Kind(
        "{place} Youth Mentoring",
        "Cheshire Youth Mentors (demo)",
        "One-to-one mentoring from a trained adult volunteer",
        "Young people are matched with a trained volunteer mentor for weekly sessions over six months, "
        "building confidence, goals and trusted relationships. Suitable for young people at risk of exploitation.",
        "A mentor is a kind adult who meets you each week. You can do fun things together and talk about your "
        "plans. They will listen to you.",
        ("someone-to-talk-to", "scared-of-someone"),
        ("cce", "cse"),
        (10, 18),
    ),
    Kind(
        "{place} Young Carers Group",
        "Cheshire East Young Carers (demo)",
        "Breaks, groups and support for children who look after someone at home",
        "Support for young carers: assessments, respite activities, school liaison and peer groups.",
        "Do you help look after someone at home? This group is for you. You can have a break, have fun and "
        "meet other young carers.",
        ("family-support", "someone-to-talk-to", "help-at-school"),
        (),
        (8, 18),
    ),
    Kind(
        "{place} Counselling for Young People",
        "Listening Space Counselling (demo)",
        "Free short-term counselling for young people",
        "Up to twelve sessions of free counselling with qualified counsellors, in schools, in community venues "
        "or online. Young people can refer themselves.",
        "A counsellor is someone you can talk to about how you feel. You can talk about feeling sad, worried "
        "or angry. It is free and private.",
        ("mental-health", "someone-to-talk-to"),
        (),
        (11, 25),
    ),
    Kind(
        "{place} Young People's Drug and Alcohol Team",
        "Cheshire East Young People's Substance Misuse Service",
        "Advice and support with drugs and alcohol",
        "Specialist workers offer assessment, harm reduction advice and structured support for young people "
        "using drugs or alcohol, and advice for their families. Works closely with the exploitation team where "
        "drug debt or county lines are involved.",
        "If you use drugs or drink, or someone wants you to carry drugs, you can talk to us. We will not tell "
        "you off. We will help you stay safe.",
        ("drugs-alcohol", "scared-of-someone"),
        ("cce",),
        (10, 21),
    ),
    Kind(
        "{place} Online Safety Sessions",
        "SafeNet Cheshire (demo)",
        "Sessions on staying safe online for young people and parents",
        "Interactive sessions in schools and youth settings on online grooming, sextortion, scams and "
        "healthy use of social media, with evening sessions for parents.",
        "Learn how to stay safe on games, apps and social media. Find out what to do if someone online makes "
        "you feel scared or asks for pictures.",
        ("staying-safe-online",),
        ("online-harm", "cse"),
        (9, 18),
    ),
    Kind(
        "{place} LGBTQ+ Youth Group",
        "Rainbow Youth Cheshire (demo)",
        "A safe, welcoming group for LGBTQ+ young people",
        "A weekly youth group for LGBTQ+ young people and those questioning, with trained youth workers and "
        "one-to-one support.",
        "This is a safe group for young people who are LGBTQ+, or not sure. You can be yourself and make friends.",
        ("youth-club", "someone-to-talk-to", "mental-health"),
        (),
        (11, 19),
    ),
]

WIDE_KINDS = [
    Kind(
        "Exploitation Support Service",
        "Cheshire East Council",
        "Specialist workers for children at risk of criminal or sexual exploitation",
        "Specialist key workers work with children at risk of or experiencing criminal and sexual exploitation, "
        "and with their families, alongside the child's lead professional. Referral through the front door.",
        "If someone is making you do things, or you feel trapped, we can help. It is not your fault. We will "
        "work with you to keep you safe.",
        ("scared-of-someone", "someone-to-talk-to"),
        ("cce", "cse", "trafficking"),
        (10, 18),
        self_referral=False,
    ),
    Kind(
        "Return Home Interview Service",
        "Cheshire Children's Advocacy (demo)",
        "An independent chat after a child has been missing",
        "Independent return home interviews within 72 hours of a child returning from a missing episode, "
        "exploring push and pull factors and sharing intelligence with the partnership.",
        "If you have been missing, someone will come to talk with you. They do not work for the police. They "
        "want to know you are OK.",
        ("someone-to-talk-to", "scared-of-someone"),
        ("cce", "cse"),
        (10, 18),
        self_referral=False,
    ),
    Kind(
        "Young People's Sexual Health Service",
        "Cheshire Sexual Health (demo)",
        "Free, confidential sexual health clinics and advice",
        "Free and confidential contraception, testing and advice for young people, with specialist workers for "
        "those at risk of sexual exploitation.",
        "You can get free and private help about sex, your body and relationships. You can ask any question. "
        "Nobody will judge you.",
        ("sexual-health",),
        ("cse", "teenage-relationship-abuse"),
        (13, 25),
    ),
    Kind(
        "Young People's Mental Health Team",
        "Cheshire Children's Mental Health (demo)",
        "Assessment and treatment for young people's mental health",
        "Specialist assessment and treatment for children and young people with moderate to severe mental "
        "health needs. Referral by a GP or professional.",
        "If you feel very sad, worried or upset for a long time, this team can help. A doctor or teacher can "
        "ask them to see you.",
        ("mental-health",),
        (),
        (5, 18),
        self_referral=False,
    ),
    Kind(
        "Healthy Relationships Service",
        "Safe Futures Cheshire (demo)",
        "Support for young people affected by abuse in their relationships",
        "One-to-one and group work for young people experiencing or using abuse in their relationships, "
        "including coercive control and online abuse.",
        "Is your boyfriend or girlfriend unkind to you? Do they try to control you? You can talk to us. We can "
        "help you feel safe.",
        ("scared-of-someone", "someone-to-talk-to"),
        ("teenage-relationship-abuse",),
        (12, 19),
    ),
    Kind(
        "Youth Justice Service",
        "Cheshire East Youth Justice Service",
        "Support for young people in trouble with the law",
        "Works with children aged 10 to 17 who have offended or are at risk of offending, including "
        "out-of-court disposals, and recognises exploitation as a cause of offending.",
        "If you are in trouble with the police, we will help you. We will explain what happens next. We will "
        "help you make a fresh start.",
        ("legal", "someone-to-talk-to"),
        ("cce", "serious-youth-violence"),
        (10, 17),
        self_referral=False,
    ),
    Kind(
        "Child Trafficking Advocates",
        "Independent Guardians (demo)",
        "Independent advocates for children who may have been trafficked",
        "Independent advocates support children who may be victims of trafficking or modern slavery through "
        "the National Referral Mechanism, police and immigration processes.",
        "If someone moved you from place to place to make you work or do things, you can have a helper. They "
        "will be on your side.",
        ("legal", "scared-of-someone"),
        ("trafficking",),
        (0, 18),
        self_referral=False,
    ),
    Kind(
        "Report Online Abuse Helpline",
        "SafeNet Cheshire (demo)",
        "Help to report and remove harmful images and messages",
        "Helps young people and parents report online abuse, remove images shared without consent and "
        "respond to sextortion, working with national reporting tools.",
        "If someone has shared a picture of you, or is making threats online, we can help. We can help get "
        "pictures taken down.",
        ("staying-safe-online", "scared-of-someone"),
        ("online-harm", "cse"),
        (9, 25),
    ),
    Kind(
        "Bullying Support Line",
        "Kind Schools Cheshire (demo)",
        "Advice for children being bullied, and their families",
        "Advice line and school liaison for children experiencing bullying in person or online.",
        "Are you being bullied, at school or online? It is not OK. You can call us. We can help you and your "
        "school sort it out.",
        ("help-at-school", "staying-safe-online", "someone-to-talk-to"),
        ("online-harm",),
        (7, 18),
    ),
    Kind(
        "Young People's Housing Advice",
        "Cheshire East Housing Options",
        "Help for young people with nowhere safe to stay",
        "Housing advice and emergency accommodation for 16 and 17 year olds, with joint assessment with "
        "children's social care.",
        "If you are 16 or 17 and have nowhere safe to stay, we can help. Call us. We will help you find a "
        "safe place to sleep.",
        ("housing",),
        (),
        (16, 21),
    ),
    Kind(
        "Care Leavers Team",
        "Cheshire East Council",
        "Personal advisers for young people leaving care",
        "Personal advisers for care leavers up to 25: housing, education, money and health.",
        "If you are leaving care, a personal adviser will help you. They help with money, a home and college.",
        ("housing", "money", "someone-to-talk-to"),
        (),
        (16, 25),
        self_referral=False,
    ),
    Kind(
        "Parents Against Exploitation Helpline",
        "Parents Against Exploitation (demo)",
        "Advice line for parents and carers of exploited children",
        "A helpline and one-to-one support for parents and carers whose children are being exploited, "
        "including help with police and social care processes.",
        "This helpline is for your mum, dad or carer. If they are worried about you, they can call and get help.",
        ("family-support",),
        ("cce", "cse"),
        (0, 18),
        for_children=False,
    ),
    Kind(
        "Education Welfare Service",
        "Cheshire East Council",
        "Help for children missing school",
        "Works with families and schools when children are missing education, excluded or at risk of "
        "exclusion, which can increase the risk of exploitation.",
        "If you are not going to school, or it is hard to go, we can help. We will talk with you, your family "
        "and your school.",
        ("help-at-school",),
        (),
        (5, 16),
        self_referral=False,
    ),
    Kind(
        "Special Educational Needs Advice",
        "SEND Information Service (demo)",
        "Impartial advice on special educational needs and disabilities",
        "Free, impartial advice for families and young people on special educational needs and disabilities.",
        "If you need extra help to learn, we can explain what help you can get. We can help you say what you need.",
        ("help-at-school", "legal"),
        (),
        (0, 25),
    ),
    Kind(
        "Young Victims Service",
        "Cheshire Victim Support (demo)",
        "Support for children and young people who are victims of crime",
        "Emotional and practical support for young victims of crime, including preparation for court.",
        "If someone has hurt you or taken your things, we can help. We will listen. We can help you if you "
        "have to go to court.",
        ("legal", "scared-of-someone", "someone-to-talk-to"),
        ("serious-youth-violence",),
        (5, 18),
    ),
    Kind(
        "Knife Crime Awareness Programme",
        "Street Safe Cheshire (demo)",
        "Sessions on the dangers of carrying knives",
        "Education sessions in schools and one-to-one work with young people at risk of carrying weapons.",
        "Carrying a knife does not keep you safe. We talk with young people about staying safe. We can help "
        "if you feel you need to carry one.",
        ("scared-of-someone",),
        ("serious-youth-violence",),
        (10, 18),
    ),
    Kind(
        "Bereavement Support for Children",
        "Little Stars Bereavement (demo)",
        "Support for children after someone close has died",
        "One-to-one and group support for bereaved children and their families.",
        "If someone you love has died, you may feel sad, angry or numb. We can help. You can talk about them with us.",
        ("mental-health", "someone-to-talk-to", "family-support"),
        (),
        (4, 18),
    ),
    Kind(
        "Eating Difficulties Support",
        "Cheshire Children's Mental Health (demo)",
        "Support for young people struggling with eating",
        "Assessment and support for young people with eating difficulties and their families.",
        "If food or eating is making you upset, you can get help. We will listen and help you feel better.",
        ("mental-health",),
        (),
        (8, 18),
    ),
    Kind(
        "Family Drug and Alcohol Support",
        "Cheshire Family Recovery (demo)",
        "Support for families affected by a parent's drinking or drug use",
        "Support for children and families affected by a parent's or sibling's drug or alcohol use.",
        "Does someone in your family drink too much or take drugs? It is not your fault. You can talk to us.",
        ("drugs-alcohol", "family-support", "someone-to-talk-to"),
        (),
        (5, 18),
    ),
    Kind(
        "Young People's Legal Advice",
        "Cheshire Law Centre (demo)",
        "Free legal advice for young people",
        "Free legal advice for young people on police, immigration, housing, education and care.",
        "If you have a problem with the police, school or where you live, a lawyer can help you for free. They "
        "will explain your rights.",
        ("legal",),
        ("trafficking",),
        (12, 25),
    ),
    Kind(
        "Domestic Abuse Support for Families",
        "Cheshire East Domestic Abuse Partnership (demo)",
        "Support for families living with domestic abuse",
        "Support, safety planning and refuge for adults and children experiencing domestic abuse.",
        "If people at home shout, hit or hurt each other, it is not your fault. You can get help to be safe.",
        ("scared-of-someone", "family-support", "housing"),
        (),
        (0, 18),
    ),
    Kind(
        "Anti-Radicalisation Support",
        "Cheshire East Prevent Partnership (demo)",
        "Early support for young people being drawn into extremism",
        "Voluntary, confidential support for young people at risk of being drawn into extremist ideas, "
        "through the Channel process.",
        "If someone online or nearby is filling your head with hate, you can talk to us. We will listen.",
        ("staying-safe-online", "someone-to-talk-to"),
        ("radicalisation", "online-harm"),
        (10, 25),
        self_referral=False,
    ),
    Kind(
        "Young People's Money Skills",
        "Cheshire Credit Union (demo)",
        "Help with saving, money and debts",
        "Money skills sessions and advice on debt, including debts used to control young people.",
        "Learn how to save and look after your money. If someone says you owe them money, we can help.",
        ("money", "scared-of-someone"),
        ("cce",),
        (11, 25),
    ),
    Kind(
        "Harmful Sexual Behaviour Service",
        "Safe Futures Cheshire (demo)",
        "Specialist help for children with harmful sexual behaviour",
        "Assessment and intervention for children and young people who display harmful sexual behaviour, "
        "and support for their families.",
        "Sometimes young people do sexual things that hurt others. We help them learn to stop and be safe.",
        ("sexual-health", "family-support"),
        ("hsb",),
        (8, 18),
        self_referral=False,
    ),
]

HOURS = [
    "Monday to Friday, 9am to 5pm",
    "Monday to Thursday, 6pm to 9pm",
    "Tuesday and Thursday, 3:30pm to 6pm",
    "Every day, 10am to 10pm",
    "Monday to Friday, 9am to 5pm; text service until 8pm",
    "Wednesday, 4pm to 7pm, and Saturday, 10am to 1pm",
]
LANGUAGES = [
    "English",
    "English",
    "English",
    "English and Polish",
    "English, Urdu and Punjabi",
    "English and British Sign Language",
    "English; interpreters on request",
]
ACCESS = [
    "Step-free access and an accessible toilet.",
    "Ground floor, hearing loop, quiet room available.",
    "Online and phone sessions available; workers can meet you somewhere you choose.",
    "Step-free access. Large print and easy read information.",
]


def _slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _entries():
    """(kind, place name, towns, area_wide) for every service, in a fixed order."""
    towns = [t.name for t in TOWNS]
    for kind in TOWN_KINDS:
        for town in towns:
            yield kind, town, [town], False
    for kind in AREA_KINDS:
        for area, area_towns in AREAS:
            yield kind, area, area_towns, False
    for kind in WIDE_KINDS:
        yield kind, "", [], True


def build_entries(seed=1, today=None):
    """The directory as plain dicts (no database), so tests can check the
    words without saving anything."""
    rng = random.Random(f"hoth-directory:{seed}")
    today = today or date.fromisoformat(ANCHOR_DATE_ISO)
    entries = []
    for number, (kind, place, towns, area_wide) in enumerate(_entries()):
        name = kind.name.format(place=place)
        slug = _slug(name)
        age_min, age_max = kind.ages
        # Most reviewed within the year; about one in six overdue, for the stale list.
        overdue = rng.random() < 0.17
        reviewed = today - timedelta(days=rng.randint(380, 700) if overdue else rng.randint(5, 350))
        entries.append(
            {
                "name": name,
                "provider": kind.provider,
                "offers": kind.offers,
                "description_adult": kind.adult,
                "description_child": kind.child.format(place=place),
                "needs": list(kind.needs),
                "harms": list(kind.harms),
                "age_min": age_min,
                "age_max": age_max,
                "towns": towns,
                "area_wide": area_wide,
                "for_children": kind.for_children,
                "for_parents": kind.for_parents,
                "self_referral": kind.self_referral,
                "professional_referral": kind.professional_referral,
                "phone": f"01632 960{number:03d}",
                "text_number": f"07700 900{number:03d}" if rng.random() < 0.3 else "",
                "email": f"{slug}@example.org",
                "website": f"https://{slug}.example.org",
                "address": f"{rng.randint(1, 120)} {rng.choice(['High Street', 'Market Street', 'Mill Lane', 'Church Road', 'Station Road'])}, {towns[0]}"
                if len(towns) == 1
                else "",
                "opening_hours": rng.choice(HOURS),
                "languages": rng.choice(LANGUAGES),
                "accessibility": rng.choice(ACCESS),
                "last_reviewed": reviewed,
                # A few drafts not yet published, as a real directory has.
                "is_published": rng.random() > 0.05,
            }
        )
    return entries


@transaction.atomic
def generate_directory(seed=1, today=None):
    """Create or refresh the demo directory; safe to run twice (matched on name)."""
    from hoth.directory.models import Service
    from hoth.directory.services import forget_towns
    from hoth.referrals.models import HarmType

    harms = {h.code: h for h in HarmType.objects.all()}
    services = []
    for entry in build_entries(seed, today):
        codes = entry.pop("harms")
        service, _ = Service.objects.update_or_create(name=entry["name"], defaults=entry)
        service.harm_types.set([harms[c] for c in codes if c in harms])
        services.append(service)
    forget_towns()
    return services
