"""The words of the synthetic front door: what referrers write, what children
say, what agencies bring to the meeting and why it decided as it did.

Every sentence is invented from common patterns in published guidance and
serious case reviews' themes, never copied from a real case. Placeholders are
filled by hoth.synthetic.front_door: {name} the child's first name, {place} a
context in the child's town, {town}, {city} a town out of the area, {street}
a street name someone is known by, {platform} an online platform, {cash} a sum.
"""

# What happened, by harm type (harm type codes from hoth/referrals/fixtures/harm_types.json).
WHAT_HAPPENED = {
    "cce": [
        "{name} was stopped by officers near {place} carrying £{cash} in cash and two mobile phones. {name} would "
        "not say where the money came from and was collected by an adult the family do not know.",
        "{name} has been missing from lessons most afternoons this term and has been seen getting into cars driven "
        "by older males near {place}. Staff have noticed a new coat and trainers the family did not buy.",
        "{name} was found in {city} after being reported missing overnight. Officers found a train ticket bought by "
        "someone else and a phone that kept ringing. {name} said they had been 'staying with a mate'.",
        "Neighbours reported young people coming and going from a flat near {place} at all hours. {name} was seen "
        "there several times and is believed to be holding drugs for an older male known as '{street}'.",
        "{name} told a youth worker they owe money to someone after a 'package' was taken from them, and that they "
        "have to 'work it off'. {name} seemed frightened and would not give a name.",
    ],
    "cse": [
        "{name} has been seen at {place} late at night with men who look about 20 to 25. Staff have noticed new "
        "clothes, a new phone and cigarettes that the family say they did not buy.",
        "{name} has been picked up from school several times by a man in his twenties who says he is a cousin. "
        "The family say there is no such cousin.",
        "{name} came home in a taxi at 3am after being reported missing and had been drinking. {name} said she had "
        "been at a party at a flat near {place} but would not say whose.",
        "A friend told staff that {name} is 'seeing' an older man she met online who gives her money and vapes, "
        "and that she has stayed at a hotel with him.",
    ],
    "serious-youth-violence": [
        "{name} attended the emergency department with a cut to the hand. The account given did not match the "
        "injury, and {name} asked staff not to call the police.",
        "A knife was found in {name}'s bag at school. {name} said they carry it 'for protection' after being "
        "threatened near {place}.",
        "{name} was assaulted by a group of older young people near {place}. Police believe it is linked to a "
        "dispute between two groups in {town}.",
        "Videos circulating on {platform} show {name} with others making threats and showing what look like "
        "weapons. Staff are worried about retaliation.",
    ],
    "trafficking": [
        "{name} was found by British Transport Police at a station in {city} with no money and a phone holding "
        "numbers saved under nicknames. {name} could not say how they travelled there.",
        "{name} arrived in the area recently, is living with adults who say they are relatives and is not "
        "registered with a school or a GP. {name} appears to be working long hours.",
        "{name} has been moved between addresses in {town} and {city} by adults and is afraid of someone they call "
        "'{street}'.",
    ],
    "online-harm": [
        "{name}'s parent found messages on {platform} from an account asking for images and threatening to share "
        "ones already sent unless {name} pays.",
        "{name} has been talking for weeks with someone on {platform} who claims to be 16 and is now asking to meet "
        "near {place}.",
        "{name} is spending most nights online and is tired in lessons. A friend says {name} is being 'looked after' "
        "by an older gamer who sends gift cards.",
    ],
    "hsb": [
        "{name} is reported to have shared a sexual image of another pupil in a group chat. {name} said it was "
        "'just a joke'.",
        "Staff saw {name} touching a younger pupil inappropriately on the way home from school. Both families "
        "have been told.",
        "{name} has been using sexualised language towards younger children at a youth club, and a parent has "
        "complained.",
    ],
    "teenage-relationship-abuse": [
        "{name}'s boyfriend, who is 19, checks her phone, decides who she can see and was seen pushing her outside "
        "{place}.",
        "{name} has bruises on her arm and told a friend her partner 'gets jealous'. She has stopped seeing her "
        "friends.",
        "{name} said their partner threatened to share private pictures if they end the relationship.",
    ],
    "radicalisation": [
        "{name} has been sharing extremist videos in a class group chat and told a teacher that violence against "
        "a group of people is 'justified'.",
        "{name} spends hours in a {platform} channel that shares extremist material and has started repeating its "
        "language at school.",
    ],
    "other": [
        "{name} has been seen with older young people near {place} late at night and the family are worried but "
        "cannot say why.",
        "Staff are worried about a sudden change in {name}: withdrawn, tired and unwilling to go home.",
    ],
}

CHILD_WORDS = [
    "I just hold stuff for them, it's nothing.",
    "They're my mates, they look after me.",
    "I don't want to talk about it.",
    "If I stop they'll come to my house.",
    "He's my boyfriend, he buys me things because he cares about me.",
    "Everyone does it. I'm fine.",
    "I owe them money so I have to go when they ring.",
    "I don't want my mum to find out.",
    "I was scared but I didn't know who to tell.",
    "I just want it to stop.",
    "I'm not a grass.",
    "It's better than being at home.",
]

HARM_OTHER = [
    "Concern about going missing from home",
    "Living with older adults not known to the family",
    "Begging in the town centre",
]

CONSENT_REASONS = {
    "refused": [
        "The parent refused consent and said the family would deal with it themselves.",
        "{name} refused consent and asked that nobody else be told.",
    ],
    "not_sought": [
        "Seeking consent could increase the risk to the child: the adults of concern may learn of the referral.",
        "Consent was not sought because there is a risk of significant harm and it would delay the referral.",
        "Seeking consent could alert a parent who may be involved.",
    ],
}

SHARING_WHAT = "The referral about {name}: the concern, what the child said and the people and places named."
SHARING_WHY = (
    "To protect {name} from harm outside the home: the front door screens every referral with partner agencies."
)

ASSOCIATE_PEOPLE = [
    ("Older male known as '{street}'", "About 20. Drives a dark hatchback and waits outside {place}."),
    ("Man called '{street}'", "Mid twenties; gives {name} lifts and money."),
    ("Female known as '{street}'", "About 18; introduced {name} to older males."),
    ("Group of older boys", "Three or four young men aged about 17 to 20 who meet near {place}."),
    ("Boyfriend, aged about 19", "Controls who {name} sees and checks their phone."),
    ("Account on {platform}", "Calls itself '{street}'; messages {name} late at night."),
]
ASSOCIATE_PLACE_DETAILS = [
    "{name} is often seen here late at night.",
    "Young people are seen going in and out with older adults.",
    "{name} says they 'hang out' here after school.",
    "Where {name} was found after the last missing episode.",
]

SCREENING_EVIDENCE = {
    "seen": [
        "Seen by staff at school.",
        "Seen by officers on patrol.",
        "Seen by the youth worker.",
        "Observed at the home visit.",
    ],
    "told": [
        "{name} told the referrer.",
        "Told by a parent.",
        "Told by a friend of {name}.",
        "Reported by a neighbour.",
    ],
    "record": [
        "From police records.",
        "From the school's safeguarding record.",
        "From the health record.",
        "From children's social care records.",
    ],
}

JUDGEMENT_RAISE = [
    "The adults involved are known to police for exploitation: the risk is higher than the score shows.",
    "{name} went missing again after the referral; professional judgement is that the risk is rising.",
    "The information from the meeting of partners suggests the score understates the risk.",
]
JUDGEMENT_LOWER = [
    "Most of the indicators are historical and {name} is now settled in a new placement with no missing episodes.",
    "The concern was explained by a family event and all agencies agree the risk has reduced.",
]

CONTEXT_NAMES = {
    "park": ["{stem} Park", "{stem} recreation ground", "The skate park on {stem} Road"],
    "takeaway": ["{stem} Fried Chicken", "{stem} Pizza and Kebab", "The chip shop on {stem} Street"],
    "hotel": ["{stem} Lodge Hotel", "{stem} Inn", "Short-let flats on {stem} Lane"],
    "station": ["{town} bus station", "{town} railway station"],
    "shop": ["{stem} Convenience Store", "The vape shop on {stem} Street"],
    "taxi_firm": ["{stem} Cars", "{stem} Private Hire"],
    "house": ["Flat above {stem} Stores", "A house on {stem} Close"],
}
PEER_GROUP_NAMES = ["Group of young people around {stem} Road", "The '{street}' group", "{stem} Estate boys"]
ONLINE_SPACE_NAMES = ["{platform} group '{street}'", "{platform} channel selling vapes and drugs"]
CONTEXT_DESCRIPTIONS = [
    "Several referrals name this place: young people gather here late in the evening with older adults.",
    "Police intelligence links this place to drug supply in {town}.",
    "Staff report that children are given free food and lifts from here.",
    "Children are recruited here, then groomed through private messages.",
]

MISSING_REPORTED_BY = {
    "cla": ["Residential home staff", "Foster carer", "Supported accommodation key worker"],
    "family": ["Parent", "Grandparent", "Parent", "Older sibling"],
}
OUT_OF_AREA_CITIES = [
    "Stoke-on-Trent",
    "Manchester",
    "Liverpool",
    "Birmingham",
    "Chester",
    "Warrington",
    "Stockport",
    "Wolverhampton",
    "Shrewsbury",
]
WHERE_FOUND = [
    "At a friend's address in {town}.",
    "Found by police near {place}.",
    "Returned home of their own accord.",
    "Found at {place}.",
    "Walked into {town} police station.",
]
WHERE_FOUND_AWAY = [
    "Found by British Transport Police at a station in {city}.",
    "Found by police at an address in {city}.",
    "Found in a car stopped by police near {city}.",
]
WHO_WITH = [
    "With two older males not known to the family.",
    "With friends from school.",
    "Alone.",
    "With a young person also missing from a children's home.",
    "With an adult male known as '{street}'.",
    "Not known: {name} would not say.",
]
MISSING_NOTES = [
    "Phone switched off while missing.",
    "Came back with new clothes.",
    "Smelt of cannabis on return.",
    "Third time this month.",
    "Said they had been 'working'.",
    "Carers were told by friends where to look.",
]
CHILD_SAID_AT_RETURN = [
    "Said they went to a party and lost track of time.",
    "Said an older friend paid for the train and they stayed at a flat.",
    "Would not say where they had been but was worried about 'getting into trouble with them'.",
    "Said they needed a break from home.",
    "Said they were asked to take a bag to {city} and were given £{cash}.",
    "Said they were with their boyfriend, who is older.",
]

CONTRIBUTIONS = {
    "police": [
        "Police hold {n} intelligence reports in the last six months linking {name} with older males near {place}.",
        "{name} was stopped and searched last month; nothing found. Linked to a vehicle of interest.",
        "No police information held beyond the missing reports.",
        "{name} is named in intelligence about drug supply in {town}, graded B2P.",
    ],
    "childrens_social_care": [
        "Known to children's social care; a child and family assessment was completed earlier this year.",
        "Not currently open to children's social care. A previous early help plan closed with needs met.",
        "Open as a child in need; the social worker reports the family engage well.",
        "Looked after; placement stable, but carers worried about late returns.",
    ],
    "health": [
        "No attendance at the emergency department in the last year.",
        "Attended the emergency department twice in three months with minor injuries.",
        "Known to the sexual health service; attends appointments.",
        "Referred to CAMHS for low mood; on the waiting list.",
    ],
    "education": [
        "Attendance {attendance}% this term, with unexplained absences in the afternoons.",
        "Two suspensions this year; behaviour has changed since the autumn.",
        "Attendance good; staff report {name} is quieter and tired.",
        "On a part-time timetable at alternative provision.",
    ],
    "youth_justice": [
        "Subject to a referral order; engaging with the case worker.",
        "Known to the prevention team after an out-of-court disposal.",
        "Not known to youth justice.",
    ],
    "voluntary_sector": [
        "Return home interview completed: {name} talked about staying at a flat with older young people.",
        "The detached youth team see {name} near {place} most weekends.",
        "Mentoring offered; {name} has met the mentor twice.",
    ],
}

RATIONALE = {
    "nfa": "The screening found {level_word} concern. Partners hold little further information, so no further "
    "action, with advice to the referrer on signs to look for.",
    "early_help": "The screening found {level_word} risk with unmet needs at home and school. An early help "
    "assessment is the right level of support.",
    "single_agency": "The screening found {level_word} risk. {agency} is already working with {name} and will "
    "respond, reporting back if anything changes.",
    "strategy": "The screening found {level_word} risk and partners' information suggests {name} is suffering or "
    "likely to suffer significant harm: a strategy discussion under section 47 is needed.",
    "panel": "The screening found {level_word} risk linked to people and places already known to partners. The "
    "Child Exploitation Operational Panel should consider disruption and the wider network.",
    "nrm": "The screening found {level_word} risk with indicators of trafficking or modern slavery. As first "
    "responders, partners will submit a National Referral Mechanism referral.",
    "open_case": "The screening found {level_word} risk, with significant indicators across several domains. A "
    "harm-outside-the-home case will be opened with a named lead professional.",
}
ADVICE = {
    "nfa": "Keep talking with {name} about healthy relationships and staying safe; refer again if anything changes.",
    "early_help": "The early help team will contact the family within ten working days.",
}

# (title, who owns it): owners are resolved by front_door.FrontDoor._owner.
ACTIONS = {
    "nfa": [("Send the meeting's advice to the referrer", "chair")],
    "early_help": [("Make an early help referral and tell the family", "csc")],
    "single_agency": [
        ("Agree a single-agency safety plan and report back", "referrer"),
        ("Share the meeting's outcome with the school", "school"),
    ],
    "strategy": [
        ("Convene a strategy discussion under section 47", "csc"),
        ("Share police intelligence for the strategy discussion", "police"),
    ],
    "panel": [
        ("Add the child to the next Child Exploitation Operational Panel agenda", "chair"),
        ("Prepare a summary of the network for the panel", "police"),
    ],
    "nrm": [
        ("Submit a National Referral Mechanism referral as first responder", "csc"),
        ("Record the National Referral Mechanism reference on the child's record", "csc"),
    ],
    "open_case": [
        ("Complete the contextual safeguarding assessment", "lead"),
        ("Agree a safety plan with the child and family", "lead"),
        ("Share the safety plan with the school", "school"),
    ],
}
EXTRA_ACTIONS = [
    ("Offer a return home interview after the latest missing episode", "voluntary"),
    ("Visit the location of concern with the licensing team", "police"),
    ("Offer mentoring through the voluntary sector", "voluntary"),
    ("Check attendance and report any absence the same day", "school"),
]
TASK_DONE_NOTES = [
    "Done.",
    "Completed and recorded.",
    "Done: shared with the family.",
    "Completed; nothing further.",
    "Done, see the case record.",
]
