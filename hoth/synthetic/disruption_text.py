"""Words for the synthetic disruption histories (hoth.synthetic.disruption):
what each plan means to achieve, the conditions of each order or notice,
breaches and what was done about them, outcomes, and what changed between
reviews.

Placeholders are filled from the subject (its name, alias, town, phone,
registration or platform) and from counts worked out from the records; no
text names a child. Lists, not sets, so a seeded choice is the same on every
machine.
"""

# ------------------------------------------------------------ objectives, by (network kind, role or place type)

OBJECTIVES = {
    ("county_lines", "hub"): [
        "Stop {name} ('{alias}') running the line into {town}: keep the runners away from him with warning "
        "notices, and put him under orders that bar him from contacting them.",
        "Disrupt the '{alias}' line at its head: warning notices for each child he is seen with, then a risk "
        "order or a criminal behaviour order.",
    ],
    ("county_lines", "adult"): [
        "Keep {name} away from the children recruited into the line in {town}, and record every sighting with "
        "them so that an order can be sought.",
    ],
    ("county_lines", "deal_line"): [
        "Take the deal line {name} out of use and keep replacement numbers off the network.",
    ],
    ("county_lines", "trap_house"): [
        "Close {name} to the line, protect the tenant, and stop children being sent there.",
        "Stop {name} being used to deal from: close it, and patrol it while the order runs.",
    ],
    ("cse", "hub"): [
        "Stop {name} contacting the girls being exploited in {town}: warning notices for each, then a Sexual "
        "Risk Order.",
        "Protect the girls linked to {name}: warning notices now, and a Sexual Risk Order with prohibitions on "
        "contact and on transporting under-18s.",
    ],
    ("cse", "adult"): [
        "Keep {name} away from the girls linked to the network in {town}, and act on any licence held.",
    ],
    ("cse", "hotel"): [
        "Make {name} a place where adults cannot bring children: guest information notices, and staff who know "
        "the signs and report them.",
    ],
    ("cse", "takeaway"): [
        "Stop {name} being where girls are groomed after closing: staff training, test purchases, and a review "
        "of its licence if nothing changes.",
    ],
    ("cse", "taxi_firm"): [
        "Stop drivers from {name} giving girls free lifts: licensing action against the drivers and the "
        "operator, and training for its staff.",
    ],
    ("cse", "vehicle"): [
        "Take the taxi {name} off the road while its driver is investigated.",
    ],
    ("cse", "online"): [
        "Have the account {name} taken down, and any account that replaces it.",
    ],
    ("peer_group", "group"): [
        "Break the hold of the older members of {name} over the younger ones: work in school, and a visible "
        "presence where they meet.",
    ],
    ("peer_group", "park"): [
        "Make {name} safe in the evenings: patrols, and a campaign with the people who use it.",
    ],
    ("peer_group", "online"): [
        "Have the group chat {name} closed, and tell the members' schools and families.",
    ],
    ("hotspot", "station"): [
        "Stop older males meeting children off the trains at {name}: evening patrols, dispersal, and a "
        "campaign with the station's staff.",
    ],
    ("hotspot", "park"): [
        "Make {name} safe over the summer holiday: a campaign with the people who use it, patrols, and an "
        "order on alcohol if it is needed.",
    ],
    ("hotspot", "common"): [
        "Stop the fights arranged online on {name}: evening patrols and dispersal, and an order if they carry on.",
    ],
    ("hotspot", "hotel"): [
        "Make {name} a place where adults cannot bring children at weekends.",
    ],
    ("background", "person"): [
        "Keep {name} away from the children seen in their company, and record every sighting.",
    ],
    ("background", "place"): [
        "Make {name} safer for the children found there: a visible presence, and action by those who regulate it.",
    ],
}

# ------------------------------------------------------------ an activity's details, by tactic code

DETAILS = {
    "child-abduction-warning-notice": [
        "Served in person. It says there is no permission to associate with the child named in it, and that "
        "doing so may lead to arrest under the Child Abduction Act 1984.",
        "Served at the home address, with the child's parent's written objection to any contact.",
    ],
    "slavery-trafficking-risk-order": [
        "Prohibits contact with any child under 18 other than relatives, and using more than one mobile phone.",
    ],
    "slavery-trafficking-prevention-order": [
        "Prohibits contact with the children named, entering {town} without notice, and using unregistered phones.",
    ],
    "criminal-behaviour-order": [
        "Made on conviction. Prohibits entering {town} town centre and associating with the named children and adults.",
        "Made on conviction for possession with intent to supply. Prohibits contacting anyone under 18 other than "
        "relatives.",
    ],
    "serious-crime-prevention-order": [
        "Restricts the phones, vehicles and money the subject may hold, and requires them to report to the police "
        "each week.",
    ],
    "sexual-harm-prevention-order": [
        "Made on conviction. Prohibits unsupervised contact with any child under 18 and deleting internet history.",
    ],
    "knife-crime-prevention-order": [
        "Prohibits carrying a bladed article and being in the places named after 9pm.",
    ],
    "drug-dealing-telecommunications-restriction-order": [
        "Requires the networks to disconnect {name} and to block any SIM later used in the same handset.",
    ],
    "closure-notice-and-order": [
        "The notice was served on the tenant and the landlord; the order bars everyone but the tenant and those "
        "the court allowed from entering {name}.",
    ],
    "sexual-risk-order": [
        "Prohibits being alone with any girl under 18, giving lifts to anyone under 18, and using social media "
        "accounts not declared to the police.",
    ],
    "hotel-guest-information-notice": [
        "Requires {name} to give the police the names and addresses of its guests on request, for the period the "
        "notice states.",
    ],
    "guardianship-training": [
        "Training for the staff of {name} on the signs of exploitation and how to report them, with a follow-up visit.",
        "A visit with the staff on every shift, posters for the staff room, and a named contact at the police.",
    ],
    "taxi-licensing": [
        "Referred to the council's licensing team with the intelligence the police may share.",
    ],
    "trading-standards-intervention": [
        "Test purchases of alcohol and vapes by young volunteers, and an advisory visit.",
    ],
    "licensing-review": [
        "Application for a review of the premises licence on the grounds of protecting children from harm.",
    ],
    "platform-takedown-request": [
        "Request sent to {platform} through its law-enforcement portal, with the content reported.",
    ],
    "increased-patrols": [
        "High-visibility patrols by the neighbourhood team, with the times agreed at the panel.",
        "Patrols in the evenings and at weekends, recorded on the patrol plan.",
    ],
    "hotspot-campaign": [
        "Posters, a stall with the youth service and leaflets for parents, with the local councillors.",
    ],
    "dispersal-direction": [
        "Authorised by an inspector for 48 hours for the area round {name}.",
    ],
    "public-spaces-protection-order": [
        "Bans drinking alcohol and gathering in groups after 9pm in the area round {name}.",
    ],
    "education-response": [
        "Sessions for the year groups concerned, and a meeting with the school's designated safeguarding lead.",
    ],
    "community-protection-notice": [
        "Requires the recipient to stop giving children lifts, money and alcohol.",
    ],
}

# ------------------------------------------------------------ breaches

BREACHES = {
    "child-abduction-warning-notice": [
        "Found with the child in a car at night.",
        "Seen with the child outside the child's school.",
    ],
    "sexual-risk-order": ["Found giving a girl under 18 a lift.", "Found using a social media account not declared."],
    "slavery-trafficking-risk-order": ["Found with a second phone.", "Seen with a child under 18 in {town}."],
    "slavery-trafficking-prevention-order": ["Found in {town} without telling the police."],
    "criminal-behaviour-order": ["Found in {town} town centre.", "Seen with a named child."],
    "knife-crime-prevention-order": ["Found with a knife in the area named."],
    "drug-dealing-telecommunications-restriction-order": ["The handset was used with a new SIM."],
    "closure-notice-and-order": ["People seen entering the premises at night."],
    "hotel-guest-information-notice": ["The hotel did not give the guest information asked for."],
    "public-spaces-protection-order": ["A group drinking in the area after 9pm."],
    "community-protection-notice": ["Seen giving children lifts again."],
    "dispersal-direction": ["Returned to the area within the 48 hours."],
}
BREACH_DEFAULT = ["Seen doing what the order prohibits."]
ACTION_DETAILS = {
    "arrested": "Arrested and interviewed.",
    "charged": "Charged with breaching the order.",
    "reported": "Reported to the court that made it.",
    "warned": "Given a warning about the order.",
    "none": "",
    "other": "Referred to the partnership's lawyer.",
}

# ------------------------------------------------------------ outcomes, by assessment

# Each states the figures it was judged on: missing episodes of the children it protects in the window
# before and after it took effect, and how many of them were at a lower or higher screening level on the day
# it was recorded. Worded so that any count reads correctly ("missing episodes: 1 before").
OUTCOMES = {
    "disrupted": [
        "Missing episodes of the children it protects: {before} in the {days} days before it took effect, "
        "{after} in the {days} days after. None of them is at a higher level now. No sighting with them since.",
        "Missing episodes of the children it protects: {before} before, {after} after ({days} days each way). "
        "Children at a lower level now: {lower} of {children}; at a higher level: none.",
    ],
    "partly": [
        "Some effect. Missing episodes of the children it protects: {before} in the {days} days before it took "
        "effect, {after} after. Children at a lower level now: {lower} of {children}; at a higher level: {higher}.",
        "Partly. Missing episodes: {before} before, {after} after ({days} days each way). Lower level now: "
        "{lower} of {children} children; higher: {higher}. Sightings continue.",
    ],
    "no_effect": [
        "No change to show. Missing episodes of the children it protects: {before} in the {days} days before it "
        "took effect, {after} after. Children at a higher level now: {higher} of {children}.",
        "No difference we can see. Missing episodes: {before} before, {after} after ({days} days each way); "
        "children at a lower level now: {lower} of {children}. The intelligence continues.",
    ],
    "too_early": [
        "Too early to say: it took effect less than two months before this was recorded.",
    ],
}
REFUSED_OUTCOMES = {
    "civil_order": "The court refused the application: the evidence did not yet meet the threshold. More "
    "intelligence is being gathered.",
    "criminal_order": "The court did not make the order on conviction.",
    "regulatory": "No action was taken: the committee found no grounds on the evidence it was given.",
}
NO_CHILDREN_OUTCOMES = {
    "disrupted": "Incidents reported there fell while it ran, and there has been no new intelligence since.",
    "partly": "Some fall in incidents while it ran; the intelligence continues at a lower level.",
    "no_effect": "No change in the incidents or intelligence reported there.",
    "too_early": "It ended too soon to tell what difference it made.",
}

# ------------------------------------------------------------ reviews

REVIEW_EVENTS = {
    "recorded": "{tactic} planned.",
    "applied": "{tactic} applied for on {day}.",
    "in_force": "{tactic} took effect on {day}.",
    "refused": "{tactic} refused on {day}.",
    "withdrawn": "{tactic} withdrawn on {day}.",
    "expired": "{tactic} expired on {day}.",
    "discharged": "{tactic} discharged on {day}.",
    "completed": "{tactic} completed on {day}.",
    "breach": "{tactic} breached on {day}: {action}.",
}
REVIEW_MISSING = [
    "The children it protects were reported missing {times} since the last review.",
    "{episodes} among the children it protects since the last review.",
]
REVIEW_NOT_MISSING = "None of the children it protects has been reported missing since the last review."
REVIEW_QUIET = [
    "Nothing new recorded against the subject since the last review; what is in force is being monitored.",
    "No new tactics since the last review.",
    "Intelligence continues at the same level; no new tactics are needed yet.",
]
# Why a plan changes, from what happened since the last review.
REVIEW_CHANGE = {
    "breach": "The plan changes after the breach: the lead agency will consider a stronger order, and report the "
    "breach to the court where it can.",
    "ended": "The plan changes ({tactic} ended): the owner will agree with partners what to use next.",
    "other": "The plan changes: the owner will look at further tactics with the partners involved.",
}
REVIEW_CLOSE = [
    "Everything in the plan has ended, and there has been no intelligence about the subject for months. The "
    "panel agreed to close the plan.",
    "The network has moved on and nothing is left to disrupt here: plan closed.",
]
