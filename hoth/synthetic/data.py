"""The fixed ingredients of the synthetic partnership: towns, schools, agencies,
names and streets. Every name here is invented or common; none describes a
real person, and the schools are plausible inventions, not real schools.

Lists, not sets or dicts keyed by objects, so that choosing from them with a
seeded random.Random gives the same answer on every machine.
"""

from dataclasses import dataclass

# Ages, addresses and dates are all worked out from this day, never from the
# clock, so the same seed gives the same partnership next year.
ANCHOR_DATE_ISO = "2026-11-01"

# Synthetic demo data only: production never runs the generator.
DEMO_PASSWORD = "demo-password-2026"
DEMO_EMAIL_DOMAIN = "demo.hoth.example"


@dataclass(frozen=True)
class Town:
    name: str
    population: int  # thousands, roughly: weights where people live
    # Postcode district and the sector digits the town uses in it (Handforth
    # and Wilmslow share SK9, so each has its own sectors).
    districts: tuple
    # Bounding box: south, north latitude; west, east longitude.
    south: float
    north: float
    west: float
    east: float
    nearby: tuple  # towns whose secondary schools take some of its pupils


TOWNS = [
    Town("Crewe", 75, (("CW1", "23456"), ("CW2", "5678")), 53.075, 53.115, -2.475, -2.405, ("Nantwich", "Sandbach")),
    Town("Macclesfield", 52, (("SK10", "1234"), ("SK11", "06789")), 53.240, 53.280, -2.160, -2.100, ("Poynton",)),
    Town("Congleton", 27, (("CW12", "1234"),), 53.150, 53.175, -2.230, -2.190, ("Sandbach", "Macclesfield")),
    Town("Wilmslow", 25, (("SK9", "12456"),), 53.315, 53.340, -2.250, -2.210, ("Handforth", "Knutsford")),
    Town("Sandbach", 19, (("CW11", "1234"),), 53.135, 53.155, -2.385, -2.345, ("Crewe", "Middlewich")),
    Town("Nantwich", 14, (("CW5", "5678"),), 53.058, 53.078, -2.540, -2.505, ("Crewe",)),
    Town("Alsager", 12, (("ST7", "2"),), 53.088, 53.105, -2.320, -2.285, ("Sandbach", "Crewe")),
    Town("Knutsford", 13, (("WA16", "0689"),), 53.293, 53.312, -2.390, -2.355, ("Wilmslow",)),
    Town("Middlewich", 14, (("CW10", "09"),), 53.180, 53.200, -2.460, -2.425, ("Sandbach", "Holmes Chapel")),
    Town("Poynton", 14, (("SK12", "1"),), 53.340, 53.358, -2.140, -2.105, ("Macclesfield", "Handforth")),
    Town("Handforth", 6, (("SK9", "3"),), 53.340, 53.355, -2.225, -2.200, ("Wilmslow",)),
    Town("Holmes Chapel", 6, (("CW4", "7"),), 53.193, 53.208, -2.370, -2.345, ("Sandbach", "Middlewich")),
]

# Cities outside the partnership that county lines run from (hoth.synthetic.pursue): where
# out-of-area adults of concern live. Boxes round the real inner cities; streets and the
# postcode sectors' units are invented, as for the towns above.
OUT_OF_AREA_TOWNS = [
    Town("Manchester", 550, (("M8", "0789"), ("M9", "4578"), ("M11", "1234"), ("M13", "09")),
         53.465, 53.515, -2.265, -2.175, ()),
    Town("Liverpool", 500, (("L4", "01234"), ("L6", "0123"), ("L8", "0123456")), 53.385, 53.440, -2.990, -2.910, ()),
]

# Inward codes never use C, I, K, M, O or V.
POSTCODE_UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

# (secondary schools, primary schools) for each town; invented names.
SCHOOLS = {
    "Crewe": (
        ["Gresty Brook Academy", "Wistaston Park High School", "St Bede's Catholic High School",
         "Crewe Railway Academy"],
        ["Hungerford Lane Primary School", "Valley Brook Primary School", "Coppenhall Heath Primary School",
         "Leighton Green Primary Academy"],
    ),
    "Macclesfield": (
        ["Bollin Valley Academy", "Hurdsfield High School", "Silk Mill High School"],
        ["Tegg's Nose Primary School", "Riverside Mill Primary School", "Weston Hill Primary School"],
    ),
    "Congleton": (["Dane Valley High School", "Bridestones Academy"],
                  ["Mossley Park Primary School", "Astbury Mere Primary School"]),
    "Wilmslow": (["Lindow Moss High School"], ["Fulshaw Green Primary School", "Carrwood Primary School"]),
    "Sandbach": (["Sandbach Heath Academy"], ["Elworth Meadow Primary School", "Wheelock Brook Primary School"]),
    "Nantwich": (["Weaver Bank High School"], ["Kingsley Fields Primary School", "Welsh Row Primary School"]),
    "Alsager": (["Alsager Mere Academy"], ["Mere Farm Primary School"]),
    "Knutsford": (["Tatton Vale High School"], ["Moorside Green Primary School"]),
    "Middlewich": (["Kinderton High School"], ["Brooks Lane Primary School", "Wych House Primary School"]),
    "Poynton": (["Poynton Pool High School"], ["Towers Road Primary School"]),
    "Handforth": (["Handforth Hall Academy"], ["Handforth Grange Primary School"]),
    "Holmes Chapel": (["Dane Meadow High School"], ["Cranage Bridge Primary School"]),
}
ALTERNATIVE_PROVISION = ("Cheshire East Alternative Provision Academy", "Crewe")

COUNCIL = "Cheshire East Council Children's Services"
POLICE = "Cheshire Constabulary"
PARTNERSHIP = "Cheshire East Safeguarding Children Partnership"

# (name, type, town, teams)
AGENCIES = [
    (COUNCIL, "childrens_social_care", "Crewe",
     ["Harm Outside the Home Team", "Front Door (ChECS)", "Children in Need and Child Protection Team (South)",
      "Children in Need and Child Protection Team (North)", "Children in Care Team", "Care Leavers Service",
      "Missing from Home Team"]),
    (POLICE, "police", "Crewe",
     ["Child Exploitation Unit", "Missing from Home Coordinators", "Intelligence Unit", "Crewe Neighbourhood Policing",
      "Macclesfield Neighbourhood Policing"]),
    ("Mid Cheshire Hospitals NHS Foundation Trust", "health", "Crewe",
     ["Safeguarding Children Team", "Emergency Department", "Sexual Health Service"]),
    ("East Cheshire NHS Trust", "health", "Macclesfield",
     ["Safeguarding Children Team", "School Nursing Service", "Emergency Department"]),
    ("Cheshire and Wirral Partnership NHS Foundation Trust", "health", "Macclesfield",
     ["Child and Adolescent Mental Health Service", "Substance Misuse Service"]),
    ("Probation Service North West: Cheshire East", "probation", "Crewe",
     ["Integrated Offender Management", "Public Protection Team"]),
    ("Cheshire East Youth Justice Service", "youth_justice", "Crewe",
     ["Youth Justice Case Management", "Prevention and Diversion Team"]),
    ("Cheshire East Safe Spaces", "voluntary_sector", "Crewe", ["Detached Youth Work", "Return Home Interviews"]),
    ("Weaver Valley Youth Trust", "voluntary_sector", "Nantwich", ["Mentoring"]),
    ("Silk Town Families Together", "voluntary_sector", "Macclesfield", ["Family Support"]),
    ("Cheshire West and Chester Council Children's Services", "neighbouring_authority", "Chester",
     ["Child Exploitation Team"]),
    ("Warrington Borough Council Children's Services", "neighbouring_authority", "Warrington", ["Exploitation Team"]),
    ("Halton Borough Council Children's Services", "neighbouring_authority", "Widnes", ["Exploitation Team"]),
    ("Stockport Council Children's Services", "neighbouring_authority", "Stockport", ["Complex Safeguarding Team"]),
    ("Trafford Council Children's Services", "neighbouring_authority", "Stretford", ["Complex Safeguarding Team"]),
    ("Manchester City Council Children's Services", "neighbouring_authority", "Manchester",
     ["Complex Safeguarding Hub"]),
    ("Stoke-on-Trent City Council Children's Services", "neighbouring_authority", "Stoke-on-Trent",
     ["Exploitation Team"]),
    ("Staffordshire County Council Children's Services", "neighbouring_authority", "Stafford",
     ["Exploitation Team"]),
    ("Shropshire Council Children's Services", "neighbouring_authority", "Shrewsbury", ["Exploitation Team"]),
    (PARTNERSHIP, "partnership", "Crewe", ["Partnership Business Unit", "Child Exploitation Operational Panel"]),
]
SCHOOL_TEAMS = ["Pastoral and Safeguarding Team"]

# ONS Census 2021, England and Wales, per cent (rounded): the share of each
# ethnic group, which decides which name pool a person's names come from.
ETHNICITY_MIX = [
    ("W1", 74.4), ("W2", 0.9), ("W3", 0.1), ("W4", 0.2), ("W5", 6.2),
    ("M1", 0.8), ("M2", 0.4), ("M3", 0.8), ("M4", 0.9),
    ("A3", 3.1), ("A4", 2.7), ("A1", 1.1), ("A2", 0.7), ("A5", 1.6),
    ("B1", 2.5), ("B2", 1.0), ("B3", 0.5),
    ("O1", 0.6), ("O2", 1.6),
]
ETHNICITY_NOT_RECORDED = 0.03  # share of records with "Not known"

# (male forenames, female forenames, family names, [(language, share)])
# Two generations of forenames for the White British pool, because a child
# born in 2012 and a parent born in 1980 are rarely called the same things.
BRITISH_CHILD_MALE = [
    "Oliver", "Jack", "Harry", "Charlie", "Thomas", "Jacob", "Alfie", "Riley", "William", "James", "Joshua",
    "George", "Ethan", "Noah", "Samuel", "Daniel", "Oscar", "Max", "Lewis", "Dylan", "Liam", "Tyler", "Mason",
    "Kai", "Callum", "Logan", "Harrison", "Archie", "Leo", "Jayden", "Connor", "Kieran", "Ryan", "Ben", "Luke",
    "Jake", "Finley", "Reece", "Bradley", "Owen", "Henry", "Alexander", "Joseph", "Matthew", "Nathan", "Frankie",
]
BRITISH_CHILD_FEMALE = [
    "Olivia", "Amelia", "Emily", "Isla", "Ava", "Jessica", "Isabella", "Lily", "Ella", "Mia", "Sophie", "Grace",
    "Evie", "Poppy", "Chloe", "Ruby", "Holly", "Freya", "Megan", "Charlotte", "Millie", "Lucy", "Ellie", "Katie",
    "Phoebe", "Daisy", "Summer", "Lacey", "Caitlin", "Scarlett", "Abigail", "Hannah", "Leah", "Madison", "Amber",
    "Keira", "Niamh", "Tilly", "Maisie", "Erin", "Elizabeth", "Rebecca", "Jade", "Brooke", "Paige", "Courtney",
]
BRITISH_ADULT_MALE = [
    "David", "Paul", "Mark", "Andrew", "Michael", "Stephen", "Richard", "Lee", "Darren", "Craig", "Daniel",
    "Christopher", "Matthew", "James", "Jason", "Gary", "Wayne", "Dean", "Carl", "Anthony", "Robert", "Peter",
    "Steven", "Neil", "Simon", "Ian", "John", "Kevin", "Adam", "Jamie", "Ryan", "Scott", "Shaun", "Thomas",
    "Liam", "Ashley", "Martin", "William", "Jonathan", "Kyle",
]
BRITISH_ADULT_FEMALE = [
    "Sarah", "Claire", "Emma", "Nicola", "Lisa", "Karen", "Michelle", "Rachel", "Joanne", "Laura", "Gemma",
    "Kelly", "Amy", "Hayley", "Helen", "Stacey", "Donna", "Louise", "Victoria", "Samantha", "Rebecca", "Jennifer",
    "Kirsty", "Danielle", "Charlotte", "Natalie", "Leanne", "Zoe", "Tracey", "Julie", "Margaret", "Susan",
    "Elizabeth", "Katherine", "Jessica", "Lauren", "Stephanie", "Jodie", "Vicky", "Carly",
]
BRITISH_FAMILY = [
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson", "Roberts",
    "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green", "Hall", "Lewis", "Harris",
    "Clarke", "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark", "Lee",
    "King", "Baker", "Harrison", "Morgan", "Allen", "James", "Scott", "Phillips", "Watson", "Davis", "Parker",
    "Price", "Bennett", "Young", "Griffiths", "Mitchell", "Kelly", "Cook", "Carter", "Richardson", "Bailey",
    "Collins", "Bell", "Shaw", "Murphy", "Miller", "Cox", "Richards", "Marshall", "Anderson", "Simpson", "Ellis",
    "Adams", "Wilkinson", "Foster", "Chapman", "Powell", "Webb", "Rogers", "Gray", "Mason", "Hunt", "Campbell",
    "Matthews", "Owen", "Palmer", "Holmes", "Mills", "Barnes", "Knight", "Lloyd", "Butler", "Russell", "Barker",
    "Fisher", "Stevens", "Jenkins", "Murray", "Dixon", "Harvey", "Birchall", "Leigh", "Massey", "Dale", "Hulme",
    "Bostock", "Capper", "Cartwright", "Platt", "Stubbs", "Warburton", "Bratt", "Beckett", "Brereton", "Dutton",
    "Goodwin", "Heath", "Lowe", "Mellor", "Plant", "Rowley", "Shenton", "Bourne", "Whittaker", "Hollinshead",
    "Oakes", "Poole", "Jervis", "Sproston", "Wainwright", "Proudlove", "Hassall", "Bebbington", "Hough",
]

# English place-name surnames (Ashworth, Bradshaw, Holcroft...) built from
# parts, so the register has the long tail of rare surnames a real one has, not
# a few hundred names shared by everybody.
SURNAME_STEMS = [
    "Ash", "Brad", "Birch", "Brom", "Cal", "Cart", "Chad", "Crom", "Dar", "Hal", "Hart", "Hay", "Hol", "Kirk",
    "Lang", "Lin", "Mar", "Mid", "Mor", "New", "Nor", "Rad", "Rams", "Ring", "Rush", "Shel", "Stan", "Sut",
    "Thorn", "Wal", "Wat", "Wes", "Whit", "Win", "Wood", "Ald", "Bar", "Bram", "Brig", "Chil", "Cot", "Dun",
    "Elm", "Fair", "Fern", "Gold", "Green", "Hamp", "Hather", "Ing", "Lock", "Oak", "Pen", "Ped", "Sand",
    "Shaw", "Staf", "Tat", "Ud", "Wad",
]
SURNAME_ENDINGS = [
    "ley", "ton", "worth", "field", "shaw", "by", "ford", "well", "wood", "croft", "hurst", "ham", "ridge",
    "dale", "more", "stone", "house", "cliffe",
]
# The well-known surnames above are about this share of White British people
# in the register; the rest come from the long tail.
COMMON_SURNAME_SHARE = 0.6

NAME_POOLS = {
    "W2": (["Sean", "Ciaran", "Declan", "Patrick", "Conor", "Cian", "Oisin", "Eoin"],
           ["Niamh", "Aoife", "Siobhan", "Roisin", "Orla", "Ciara", "Saoirse", "Maeve"],
           ["Murphy", "Kelly", "O'Brien", "Byrne", "Ryan", "O'Connor", "Walsh", "Doyle", "McCarthy", "Gallagher",
            "O'Neill", "Quinn"],
           [("English", 1.0)]),
    "W3": (["Levi", "Frankie", "John-Joe", "Tommy", "Jimmy", "Patrick", "Moses", "Elijah"],
           ["Mary", "Bridget", "Kathleen", "Romany", "Shannon", "Margaret", "Tiffany", "Kizzy"],
           ["Price", "Lee", "Boswell", "Smith", "Lovell", "Ward", "Doherty", "Joyce", "McDonagh", "Loveridge"],
           [("English", 1.0)]),
    "W4": (["Denis", "Marek", "Nikola", "Patrik", "Tomas", "Lukas", "Adrian"],
           ["Petra", "Lucie", "Vanesa", "Denisa", "Nikola", "Monika", "Klaudia"],
           ["Balog", "Horvath", "Kovac", "Lakatos", "Dudi", "Olah", "Gabor", "Ferenc"],
           [("Romani", 0.3), ("Slovak", 0.2), ("Romanian", 0.15), ("English", 0.35)]),
    "W5": (["Jakub", "Kacper", "Szymon", "Filip", "Andrei", "Alexandru", "Gabriel", "Joao", "Tomas", "Mateusz",
            "Luca", "Darius"],
           ["Zuzanna", "Julia", "Maja", "Lena", "Ioana", "Maria", "Beatriz", "Natalia", "Alicja", "Elena", "Sofia",
            "Gabriela"],
           ["Nowak", "Wojcik", "Kowalczyk", "Mazur", "Krawczyk", "Zajac", "Popescu", "Ionescu", "Stan", "Dumitru",
            "Munteanu", "Silva", "Santos", "Ferreira", "Pereira", "Costa", "Rossi", "Horvat"],
           [("Polish", 0.3), ("Romanian", 0.2), ("Portuguese", 0.1), ("Lithuanian", 0.05), ("English", 0.35)]),
    "A3": (["Arjun", "Rohan", "Aarav", "Dev", "Ravi", "Rajesh", "Vikram", "Harpreet", "Jaspal", "Sanjay", "Nikhil"],
           ["Priya", "Anika", "Simran", "Meera", "Sunita", "Navdeep", "Jasmine", "Pooja", "Kiran", "Anjali", "Asha"],
           ["Patel", "Sharma", "Singh", "Gill", "Sandhu", "Mistry", "Shah", "Kumar", "Chauhan", "Parmar", "Dhillon",
            "Bains"],
           [("Punjabi", 0.08), ("Gujarati", 0.07), ("Hindi", 0.03), ("English", 0.82)]),
    "A4": (["Mohammed", "Muhammad", "Ibrahim", "Yusuf", "Ayaan", "Zain", "Hamza", "Imran", "Tariq", "Bilal",
            "Usman", "Adnan"],
           ["Aisha", "Maryam", "Fatima", "Zara", "Hafsa", "Nadia", "Sadia", "Amina", "Samina", "Iqra", "Sana"],
           ["Khan", "Hussain", "Ali", "Ahmed", "Akhtar", "Iqbal", "Mahmood", "Shah", "Rashid", "Butt", "Malik",
            "Javed"],
           [("Urdu", 0.12), ("Punjabi", 0.06), ("English", 0.82)]),
    "A1": (["Abdul", "Rahim", "Sami", "Tahmid", "Jamal", "Rayhan", "Shahid", "Ishaq"],
           ["Nusrat", "Sumaya", "Tasnim", "Farhana", "Rubina", "Salma", "Jannat", "Sharmin"],
           ["Miah", "Rahman", "Uddin", "Islam", "Ahmed", "Hoque", "Chowdhury", "Alam", "Begum"],
           [("Bengali", 0.12), ("Sylheti", 0.1), ("English", 0.78)]),
    "A2": (["Kevin", "Wei", "Jun", "Ethan", "Ho-Yin", "Hao", "Ming", "Jason"],
           ["Jenny", "Mei", "Lily", "Xin", "Yan", "Grace", "Wing", "Ling"],
           ["Wang", "Li", "Zhang", "Chen", "Liu", "Wong", "Chan", "Lam", "Cheung", "Ho"],
           [("Cantonese", 0.12), ("Mandarin", 0.13), ("English", 0.75)]),
    "A5": (["Bikash", "Suman", "Nimal", "Minh", "Angelo", "Kasun", "Rajan", "Duc"],
           ["Anjali", "Tharushi", "Linh", "Jasmine", "Sita", "Nilmini", "Mai", "Maricel"],
           ["Gurung", "Rai", "Perera", "Fernando", "Nguyen", "Tran", "Reyes", "Tamang", "Silva"],
           [("Nepali", 0.08), ("Tamil", 0.06), ("Vietnamese", 0.06), ("Tagalog", 0.05), ("English", 0.75)]),
    "B1": (["Chidi", "Emeka", "Kwame", "Kofi", "David", "Samuel", "Daniel", "Abdirahman", "Tobi", "Joshua",
            "Elijah", "Mustafa"],
           ["Blessing", "Precious", "Chioma", "Amara", "Abena", "Hodan", "Favour", "Tolu", "Grace", "Esther",
            "Deborah", "Ayan"],
           ["Okafor", "Adeyemi", "Mensah", "Osei", "Boateng", "Okonkwo", "Abdi", "Mohamed", "Hassan", "Ndlovu",
            "Adebayo", "Owusu", "Asante", "Ogunleye"],
           [("Somali", 0.06), ("Yoruba", 0.04), ("Twi", 0.04), ("Igbo", 0.03), ("Tigrinya", 0.03),
            ("English", 0.80)]),
    "B2": (["Jermaine", "Marcus", "Tyrone", "Kemar", "Andre", "Nathaniel", "Malachi", "Dwayne", "Jordan", "Isaiah"],
           ["Shanice", "Tia", "Keisha", "Jade", "Renee", "Chantelle", "Aaliyah", "Tanisha", "Kayla", "Simone"],
           ["Campbell", "Brown", "Williams", "Thomas", "Grant", "Clarke", "Francis", "Henry", "Morgan", "Reid",
            "Stewart", "Edwards", "Bailey", "Gordon"],
           [("English", 1.0)]),
    "O1": (["Omar", "Youssef", "Ali", "Karim", "Adam", "Khaled", "Hamza", "Sami"],
           ["Layla", "Noor", "Rania", "Mariam", "Sara", "Yasmin", "Huda", "Lina"],
           ["Hassan", "Ahmed", "Ali", "Al-Sayed", "Haddad", "Khalil", "Nasser", "Saleh", "Mansour", "Ibrahim"],
           [("Arabic", 0.45), ("English", 0.55)]),
    "O2": (["Ahmad", "Reza", "Mustafa", "Emre", "Dilan", "Karwan", "Farid", "Baran", "Hassan", "Jawad"],
           ["Sahar", "Parisa", "Elif", "Zahra", "Shilan", "Nasrin", "Rojin", "Leyla", "Mina", "Azadeh"],
           ["Karimi", "Ahmadi", "Rahimi", "Hosseini", "Yilmaz", "Demir", "Rostami", "Mohammadi", "Aziz", "Sharifi"],
           [("Kurdish", 0.15), ("Pashto", 0.1), ("Dari", 0.08), ("Farsi", 0.08), ("Turkish", 0.07),
            ("English", 0.52)]),
}
# Groups whose names come from a mix of two pools: (given-name pools, family-name pools).
MIXED_POOLS = {
    "M1": (["W1", "A3", "A4"], ["W1", "A3", "A4"]),
    "M2": (["W1", "B1"], ["W1", "B1"]),
    "M3": (["W1", "B2"], ["W1"]),
    "M4": (["W1", "W5", "A5", "O2", "B2"], ["W1", "W5"]),
    "B3": (["B2", "B1"], ["B2", "B1"]),
}

# Nicknames practitioners actually write down for a forename. Kept here rather
# than read from the name variant fixture so the generator gives the same
# people whatever an administrator has added to that fixture.
NICKNAMES = {
    "Alexander": ["Alex", "Xander"], "Abigail": ["Abbie", "Abi"], "Anthony": ["Tony", "Ant"],
    "Archie": ["Arch"], "Benjamin": ["Ben", "Benji"], "Bradley": ["Brad"], "Callum": ["Cal"],
    "Charlotte": ["Charlie", "Lottie"], "Christopher": ["Chris", "Kit"], "Daniel": ["Dan", "Danny"],
    "Danielle": ["Dani"], "David": ["Dave", "Davey"], "Elizabeth": ["Liz", "Beth", "Lizzie"],
    "Emily": ["Em", "Emmy"], "Frankie": ["Frank"], "Gabriel": ["Gabe"], "Harrison": ["Harry"],
    "Isabella": ["Bella", "Izzy"], "Jacob": ["Jake"], "James": ["Jim", "Jimmy", "Jamie"],
    "Jessica": ["Jess", "Jessie"], "Jonathan": ["Jon", "Jonny"], "Joseph": ["Joe", "Joey"],
    "Joshua": ["Josh"], "Katherine": ["Kate", "Katie", "Kath"], "Kieran": ["Kiz"], "Lewis": ["Lew"],
    "Madison": ["Maddie"], "Margaret": ["Maggie", "Peggy"], "Matthew": ["Matt", "Matty"], "Megan": ["Meg"],
    "Michael": ["Mike", "Mikey", "Mick"], "Mohammed": ["Mo"], "Muhammad": ["Mo"], "Nathan": ["Nate"],
    "Nathaniel": ["Nate", "Nat"], "Nicola": ["Nicky", "Nic"], "Oliver": ["Ollie", "Olly"], "Olivia": ["Liv", "Livvy"],
    "Rebecca": ["Becky", "Becca"], "Richard": ["Rich", "Ricky"], "Robert": ["Rob", "Bob", "Robbie"],
    "Samantha": ["Sam", "Sammy"], "Samuel": ["Sam", "Sammy"], "Scarlett": ["Scar"], "Stephanie": ["Steph"],
    "Stephen": ["Steve"], "Steven": ["Steve", "Stevie"], "Thomas": ["Tom", "Tommy"], "Victoria": ["Vicky", "Tori"],
    "William": ["Will", "Billy", "Liam"], "Zachary": ["Zak"], "Ibrahim": ["Ibby"], "Yusuf": ["Yus"],
    "Caitlin": ["Cait"], "Courtney": ["Court"], "Phoebe": ["Phebs"], "Abdirahman": ["Abdi"],
}

# Names used on the street and online; invented, none tied to a real person.
STREET_NAMES = [
    "Ghost", "Tiny", "Lil T", "Skinz", "Smokey", "Blade", "Kingpin", "Shadow", "Racks", "Ace", "Bugsy", "Snowy",
    "Rico", "Deuce", "Milly", "Dizzy", "Scrappy", "Rocket", "Sly", "Trigger", "Jinx", "Nitro", "Vex", "Zeeko",
]
# Put before a street name to make the names of the planted networks' adults (hoth.synthetic.pursue)
# that no one else in the register has: "Lil Ghost", "Big Racks".
STREET_NAME_PREFIXES = ["Lil", "Big", "Young", "Baby", "Mad", "Older", "Little", "Uncle"]
ONLINE_PLATFORMS = ["Snapchat", "Instagram", "TikTok", "WhatsApp", "Telegram", "Discord", "X (Twitter)"]

STREET_STEMS = [
    "Badger", "Beech", "Brook", "Church", "Elm", "Mill", "Oak", "Park", "Station", "Victoria", "Weston",
    "Gresty", "Bollin", "Dane", "Weaver", "Sandstone", "Salt", "Canal", "Foundry", "Railway", "Lime", "Heath",
    "Moss", "Meadow", "Orchard", "Ropewalk", "Bridge", "Holly", "Chestnut", "Rowan", "Willow", "Hawthorn",
    "Larch", "Ash", "Primrose", "Bluebell", "Kingfisher", "Heron", "Swallow", "Peckforton", "Shutlingsloe",
    "Alderley", "Delamere", "Marton", "Gawsworth", "Astbury", "Bosley", "Cloud", "Wincle", "Swettenham",
    "Barthomley", "Wybunbury", "Rode", "Cranage", "Goostrey", "Brindley", "Telford", "Stanier", "Webb", "Ramsden",
    "Lindow", "Dean", "Fulshaw", "Pownall", "Tytherington", "Hurdsfield", "Kinderton", "Brereton", "Elworth",
    "Wheelock", "Hassall", "Lawton", "Audley", "Radway", "Tatton", "Mobberley", "Toft", "Adlington", "Lyme",
    "Disley", "Bramhall", "Stanneylands", "Coppenhall", "Leighton", "Wistaston", "Shavington", "Willaston",
    "Acton", "Dorfold", "Welsh", "Hospital", "Beam", "Pillory", "Sweetbriar", "Cheerbrook", "Marsh", "Fern",
    "Laburnum", "Sycamore", "Poplar", "Hazel", "Clover", "Foxglove", "Thistle", "Cedar", "Juniper", "Alder",
]
STREET_SUFFIXES = [
    "Road", "Street", "Lane", "Avenue", "Close", "Drive", "Way", "Grove", "Crescent", "Court", "Gardens", "Walk",
    "Mews", "Place", "View", "Rise",
]
FLAT_SHARE = 0.12  # of addresses, "Flat n" on the first line

JOB_TITLES = {
    "practitioner": {
        "childrens_social_care": ["Social worker", "Senior social worker", "Exploitation practitioner",
                                  "Family support worker"],
        "police": ["Detective constable", "Police constable", "Missing from home coordinator"],
        "education": ["Designated safeguarding lead", "Deputy designated safeguarding lead", "Head of year",
                      "Pastoral lead"],
        "health": ["Named nurse for safeguarding", "School nurse", "Specialist nurse for looked-after children",
                   "Mental health practitioner"],
        "probation": ["Probation officer"],
        "youth_justice": ["Youth justice officer", "Prevention worker"],
        "voluntary_sector": ["Youth worker", "Return home interview worker", "Mentor"],
        "neighbouring_authority": ["Exploitation practitioner"],
        "partnership": ["Partnership officer"],
    },
    "coordinator": "Exploitation coordinator",
    "analyst": "Intelligence analyst",
    "panel_chair": "Chair, Child Exploitation Operational Panel",
    "manager": "Head of service",
    "auditor": "Data protection officer",
    "agency_admin": "Systems administrator",
    "system_admin": "Platform administrator",
}
