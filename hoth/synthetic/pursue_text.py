"""Words for the synthetic Pursue side (hoth.synthetic.pursue): partner
intelligence as practitioners write it and its sanitised versions, why a
subject is of concern, incidents at places, and the names of the places,
groups and accounts of the planted networks.

Every name is filled in from invented pools (hoth.synthetic.data); nothing
describes a real person or business. Lists, not sets, so a seeded choice is
the same on every machine.
"""

# ------------------------------------------------------------ places, groups, accounts

PLACE_NAMES = {
    "park": ["{stem} Park", "{stem} recreation ground", "The skate park on {stem} Road", "{stem} playing fields"],
    "takeaway": [
        "{stem} Fried Chicken",
        "{stem} Pizza and Kebab",
        "The chip shop on {stem} Street",
        "{stem} Grill House",
    ],
    "hotel": ["{stem} Lodge Hotel", "The {stem} Inn", "Short-let flats on {stem} Lane", "{stem} Court Hotel"],
    "shop": ["{stem} Convenience Store", "The vape shop on {stem} Street", "{stem} Off Licence", "{stem} Mini Market"],
    "taxi_firm": ["{stem} Cars", "{stem} Private Hire", "{stem} Taxis"],
    "station": ["{town} bus station", "The bus interchange on {stem} Street"],
    "house": ["Flat above {stem} Stores", "A house on {stem} Close", "A flat in {stem} Court"],
    "other": [
        "{stem} Community Centre",
        "The car park behind {stem} Street",
        "{stem} shopping precinct",
        "The underpass on {stem} Road",
        "The canal towpath by {stem} Bridge",
    ],
}
TRAP_HOUSE_DESCRIPTION = (
    "Believed to be used to store and sell drugs: the tenant, a vulnerable adult, is thought "
    "to have been taken over by males from {origin}, and local children come and go at all "
    "hours."
)
CSE_PLACE_DESCRIPTIONS = {
    "hotel": "Staff have seen adult men book rooms and arrive late at night with girls who look under 18.",
    "takeaway": "Girls are given free food, lifts and cigarettes by men who gather here after closing.",
    "taxi_firm": "Drivers from this firm are reported to give girls free lifts to parties and hotels.",
}
HOTSPOT_DESCRIPTIONS = {
    "station": "Children reported missing are often found here in the evening, and older males are seen meeting "
    "young people off trains from Manchester and Liverpool.",
    "park": "Young people gather here, especially in the summer holidays; older males have been seen giving them "
    "alcohol and lifts.",
    "common": "Fights between groups of young people, some with knives, arranged online; most in the evening.",
    "hotel": "Girls are seen arriving with older men on Friday and Saturday nights.",
}
BACKGROUND_PLACE_DESCRIPTION = "A public place where incidents involving young people have been reported."
PEER_GROUP_NAMES = [
    "The '{street}' group",
    "{stem} Estate boys",
    "Group of young people around {stem} Road",
    "The {stem} Park crew",
]
PEER_GROUP_DESCRIPTION = (
    "Young people from {school} and the streets around it who spend evenings together; "
    "an older pupil introduces younger ones to older males."
)
GROUP_CHAT_NAMES = [
    "{platform} group '{street}'",
    "{platform} group chat for {stem} Estate",
    "{platform} '{street} mandem'",
]
CSE_ACCOUNT_NAMES = ["{platform} account '{handle}'", "{platform} profile '{handle}'"]
ONLINE_DESCRIPTION = "Used to contact children, arrange meetings and share images."

# ------------------------------------------------------------ why a subject is of concern

CONCERN = {
    "county_lines_hub": "Holds the '{alias}' line from {origin} into {town}: recruits local children as runners "
    "and uses a flat in {town} to store and sell drugs.",
    "county_lines_adult": "Runs drugs and children for the '{alias}' line between {origin} and {town}; drives the "
    "line's car.",
    "cse_hub": "Believed to groom girls in {town} and nearby towns with gifts, lifts and alcohol, and to take them "
    "to {hotel}.",
    "cse_adult": "Drives girls to hotels and parties for {hub}; works for {taxi}.",
    "peer_of_concern": "Older pupil who recruits younger ones into {group} and introduces them to older males.",
    "lone_adult": "Seen repeatedly with young people in {town}, giving them money and lifts.",
    "trap_house": "Trap house of the '{alias}' line: drugs stored and sold, children seen going in and out.",
    "deal_line": "The '{alias}' line: sends bulk messages offering drugs in {town}.",
    "vehicle": "Used to move children and drugs for the '{alias}' line between {origin} and {town}.",
    "cse_place": "Children seen here with adults of concern late at night.",
    "cse_vehicle": "Taxi used to take girls to hotels and parties.",
    "online": "Used to contact and groom children.",
    "hotspot": "A hotspot of incidents involving children; see the hotspot map.",
}

# ------------------------------------------------------------ partner intelligence

# {a}: an adult of concern as the writer knows them; {c}, {c2}: children (first names);
# {place}, {town}, {origin}, {alias}, {vehicle}, {registration}, {phone}, {online}, {group}.
REPORTS = {
    "county_lines": [
        "{c} was seen getting out of a {vehicle} ({registration}) outside {place} with an older male known as "
        "'{alias}'.",
        "Neighbours report children calling at {place} at all hours; the tenant is said to be frightened of males "
        "from {origin}, one known as '{alias}'.",
        "Bulk messages offering drugs in {town} come from {phone}, known locally as the '{alias}' line.",
        "{c} and {c2} were stopped near {place} carrying cash and two phones; {c} said they were 'working for "
        "{alias}'.",
        "{a} was seen collecting {c} from school in a {vehicle} ({registration}) and driving towards the motorway.",
        "{c} was found in {origin} with {a}, who said he was a cousin; {c} had train tickets paid for by someone else.",
        "A source says {a} pays local children to deliver drugs from {place} and has threatened one over a debt.",
    ],
    "cse": [
        "{c} was seen getting into a taxi from {taxi} driven by {a2}, late at night.",
        "Staff at {hotel} say {a} booked a room and arrived with two girls who looked about 14, one of them {c}.",
        "{c} and {c2} are given free food and lifts by {a} at {takeaway}, who tells them not to tell anyone.",
        "{c} receives messages late at night from {online} asking to meet at {hotel}.",
        "{c} told a teacher that an older man called {a} buys them vapes and alcohol and takes photos of them.",
        "{a} was seen parked outside a children's home in {town} in a {vehicle} ({registration}) waiting for {c}.",
    ],
    "peer_group": [
        "{c} is bringing younger pupils from {school} to meet older boys at {place} after school.",
        "Members of {group} were seen drinking at {place} with {c} and {c2} late at night.",
        "{online} is used to arrange fights and share videos of them; {c} and {c2} post in it.",
        "{c} told staff that {c2} is 'getting paid' by older boys and wants {c} to join in.",
    ],
    "background": [
        "Groups of young people gathering near {street}, {town} late in the evening; suspected cannabis use.",
        "Reports of young people being given lifts by adults in unknown cars near {street}, {town}.",
        "Anti-social behaviour near {street}, {town}: young people throwing stones at buses.",
        "Suspected drug dealing from a parked car on {street}, {town}.",
        "A child seen with an older male near {street}, {town}; the male left when police arrived.",
    ],
    "link": [
        "{c} was seen with {other} on several occasions.",
        "A source reports that {c} spends time with {other}.",
    ],
}
SANITISED = {
    "county_lines": "Partner intelligence indicates that children in {town} are being used to sell drugs for a line "
    "run from {origin}. Details are held by Cheshire Constabulary.",
    "cse": "Partner intelligence indicates that girls in {town} are at risk of sexual exploitation by adult males. "
    "Details are held by Cheshire Constabulary.",
    "peer_group": "Partner intelligence indicates that a group of young people in {town} is drawing younger "
    "children towards exploitation.",
    "background": "Partner intelligence about young people at risk in {town}. Details are held by Cheshire "
    "Constabulary.",
    "link": "Partner intelligence links a child to another person of interest. Details are held by Cheshire "
    "Constabulary.",
}
HANDLING_CONDITIONS = [
    "Share only with children's social care and youth justice, to safeguard the children named; do not tell the "
    "family where it came from.",
    "For the Child Exploitation Operational Panel's partners only; not to be put on a child's file in full.",
    "May be shared with the named agencies to plan safeguarding; the source must not be identified.",
]
HOW_KNOWN_DETAIL = {
    "seen": "I saw it while on patrol.",
    "child": "The young person told me during a visit.",
    "other_person": "A member of the public told me; they want to stay anonymous.",
    "record": "From a police log.",
    "other": "From a colleague at another agency.",
}
# Waiting to be graded: written by practitioners who work with the child.
WAITING = [
    "{c} told me an older male called '{alias}' has been giving them money and a phone, and that they 'owe him'.",
    "{c} came back from being missing with new trainers and would not say who bought them; friends say '{alias}'.",
    "I saw {c} getting into a {vehicle} outside school; the driver looked about 25.",
    "{c}'s mum found messages on their phone from {online} asking to meet at {place}.",
    "{c} said they have been spending evenings at {place} with older boys from {origin}.",
]
LEGACY = [
    "Historic intelligence: {a} associated with the supply of drugs in {town}.",
    "Historic intelligence: {a} seen with {a2} in {origin}.",
    "Historic intelligence: {a} known to use a {vehicle}, {registration}.",
    "Historic intelligence: {a} reported to use the number {phone}.",
]
LEGACY_NOISE = "Historic intelligence: {a} said to know {c}. The source's account could not be checked."
POOR = [
    "Anonymous call: {a} is said to know {c}. Nothing supports it.",
    "Rumour on social media that {c} works for {a}. Believed malicious.",
]
EXPIRED = "{c} was seen with {a} several times in {year}."
WHERE = "{place}, {town}"

# ------------------------------------------------------------ missing episodes of the planted children

WHO_WITH = [
    "With an adult male known as '{alias}'.",
    "With two older males; one is known as '{alias}'.",
    "Not known: {c} would not say.",
    "With other young people from {town}.",
]
WHERE_FOUND_AT = ["Found by police at {place}.", "Found at {place} late in the evening.", "Found near {place}."]
WHERE_FOUND_AWAY = [
    "Found by British Transport Police at {station} in {origin}.",
    "Found by police at an address in {origin}.",
    "Found in a car stopped by police in {origin}.",
]
STATIONS = {"Manchester": "Manchester Piccadilly station", "Liverpool": "Liverpool Lime Street station"}
MISSING_NOTES = [
    "Phone switched off while missing.",
    "Came back with cash and a second phone.",
    "Said they had been 'working'.",
    "Came back tired and hungry, with new clothes.",
]
CHILD_SAID = [
    "Said they stayed with a friend.",
    "Would not say where they had been.",
    "Said an older male paid for the train.",
]

# ------------------------------------------------------------ records that name subjects (link proposals)

ASSOCIATE = ("Man known as '{alias}'", "Drives a {vehicle}, {registration}, and waits outside {place}.")
ASSOCIATE_BRIDGE = ("Man known as '{alias}'", "Said to be 'looking after' {c}; nothing more is known.")
EVIDENCE = "{c} has been seen getting into a {vehicle}, {registration}, and said they go to {place}."
REJECTIONS = [
    "A different person with the same street name: the dates do not fit.",
    "The referrer was repeating a rumour; nothing supports it.",
    "The record names the place, but the child was only passing.",
]

# ------------------------------------------------------------ incidents at places

INCIDENTS = {
    "drugs": [
        "Suspected drug deal between a young person and an adult.",
        "Cannabis smell and young people loitering; dispersed.",
        "Young person found with wraps of suspected cocaine.",
    ],
    "exploitation": [
        "Children seen with adults of concern; details passed to the Child Exploitation Unit.",
        "A child was seen being handed a phone and money by an older male.",
    ],
    "sexual": [
        "Girls seen with older males in a car late at night.",
        "A girl appeared intoxicated and was with two adult men; taken home by police.",
    ],
    "violence": [
        "Fight between groups of young people; one had a knife.",
        "Young person assaulted; suspects fled on bikes.",
        "Threats with a machete posted online, then a fight.",
    ],
    "asb": ["Young people throwing stones at passing cars.", "Noise and fireworks late at night."],
    "other": ["Concern for a young person's welfare reported by a member of the public."],
}
