"""The words of the synthetic Protect work: what case teams write in notes,
plans, reviews and closures, and what agencies say at the Child Exploitation
Operational Panel.

Every sentence is invented from common patterns in published guidance, never
copied from a real case. Placeholders, filled by hoth.synthetic.protect:
{name} the child's first name, {place} a place of concern in the child's
town, {town}, {service} a support service, {who} a practitioner's name,
{agency} an agency, {area} a receiving partnership.
"""

# ---------------------------------------------------------------- the case team

ROLES = {
    "childrens_social_care": ["Social worker", "Exploitation practitioner", "Family support worker"],
    "police": ["Child exploitation officer", "Missing from home coordinator", "Neighbourhood officer"],
    "health": ["School nurse", "Emotional health practitioner", "Substance misuse nurse"],
    "education": ["Designated safeguarding lead", "Head of year", "Pastoral lead"],
    "youth_justice": ["Youth justice officer", "Prevention worker"],
    "voluntary_sector": ["Youth worker", "Exploitation support worker", "Mentor"],
    "probation": ["Probation officer"],
    "neighbouring_authority": ["Social worker (neighbouring authority)"],
}
SHARING_WHAT = (
    "{name}'s case: the safety and support plan, the contextual assessment and what each agency knows "
    "about the people and places of concern."
)
SHARING_WHY = (
    "So that {agency} can play its part in keeping {name} safe: the plan only works if everyone on the "
    "team knows the risks and who is doing what."
)
CONSENT_REASONS = {
    "refused": [
        "{name}'s parent did not agree, but the risk from the people {name} is with is too high not to "
        "share with the team.",
        "{name} said they did not want the police told; sharing is needed to keep {name} safe from serious harm.",
    ],
    "not_sought": [
        "Asking would alert the adults exploiting {name} and put {name} at greater risk.",
        "Seeking consent would delay sharing that is needed now to protect {name}.",
    ],
}

# ---------------------------------------------------------------- the contextual assessment

PRIMARY_CONTEXT = {
    "cce": [("neighbourhood", 3), ("peers", 2)],
    "cse": [("peers", 2), ("online", 1), ("neighbourhood", 1)],
    "serious-youth-violence": [("neighbourhood", 2), ("peers", 3)],
    "trafficking": [("neighbourhood", 2), ("family", 1)],
    "online-harm": [("online", 4), ("peers", 1)],
    "hsb": [("school", 2), ("peers", 2)],
    "teenage-relationship-abuse": [("peers", 3), ("online", 1)],
    "radicalisation": [("online", 3), ("peers", 1)],
    "other": [("peers", 1), ("neighbourhood", 1), ("family", 1)],
}
PRIMARY_REASON = {
    "family": "Home is where {name} is least supervised in the evenings; until the family can set and keep "
    "boundaries, the other contexts cannot be made safe.",
    "peers": "{name} goes where the friendship group goes. The group is known to the older people exploiting "
    "young people in {town}, so this is the context that must change first.",
    "school": "Most of the concerning behaviour happens during the school day and on the way to and from school, "
    "so school is where change can start.",
    "neighbourhood": "{place} is where {name} is groomed and put to work. Disrupting the adults there and making "
    "the place safer matters more than anything the family can do.",
    "online": "Contact with the people harming {name} starts and continues online, so the online space must "
    "change first.",
}
STRENGTHS = {
    "family": [
        "{name}'s mum is worried and wants to work with the team.",
        "{name} has a close relationship with a grandparent who lives nearby.",
        "The family keep in touch with the lead professional and answer calls.",
    ],
    "peers": [
        "{name} has one long-standing friend from primary school who is a good influence.",
        "{name} enjoys football and used to train with a local club.",
    ],
    "school": [
        "{name} gets on well with the pastoral lead and goes to them when worried.",
        "{name} is good at art and attends those lessons.",
    ],
    "neighbourhood": [
        "The youth club in {town} is open three evenings a week and {name} has been before.",
        "Detached youth workers know {name} and the places {name} goes.",
    ],
    "online": [
        "{name} has shown the team messages when asked.",
        "{name}'s parent has set up parental controls and checks them.",
    ],
}
RISKS = {
    "family": [
        "Boundaries at home are inconsistent and {name} comes and goes at night.",
        "An older sibling is known to the police for drug supply.",
    ],
    "peers": [
        "{name}'s friends are linked to older males who run drugs in {town}.",
        "The group spends evenings at {place}, where exploitation has been reported.",
    ],
    "school": [
        "Attendance has fallen and {name} leaves site at lunchtime.",
        "{name} has had two fixed-term exclusions this year.",
    ],
    "neighbourhood": [
        "{place} is a known location for drug dealing and for adults approaching children.",
        "There are reports of young people being picked up by cars near {place}.",
    ],
    "online": [
        "{name} is in contact with unknown adults on several platforms.",
        "Images of {name} may have been shared in group chats.",
    ],
}

# ---------------------------------------------------------------- the plan

GOALS = [
    "{name} will be safe from the people who are harming them.",
    "{name} will go to school every day and stay for the whole day.",
    "{name} will be home by the agreed time and the family will know where {name} is.",
    "{name} will have a trusted adult to talk to when worried.",
    "{name} will not go missing.",
    "{name} will take part in an activity they enjoy at least once a week.",
    "{name} will understand how adults groom and exploit young people.",
    "{name}'s family will know the signs of exploitation and what to do.",
]
CHILD_WANTS = [
    "I want people to stop worrying about me. I want to get back into football.",
    "I want to stay at my school and not be moved.",
    "I want my mum to stop shouting and I want my phone back.",
    "I want to be left alone by the people I owe. I want to go to college.",
    "I don't want the police coming to my house.",
    "I want to feel normal again and see my friends without it being a problem.",
]
CHILD_TRUSTS = [
    "My nan. Miss in pastoral. {who} is all right.",
    "My mum, most of the time. My youth worker.",
    "My older sister. Nobody at school.",
    "{who}, because they actually listen.",
    "My coach from football.",
]
FAMILY_VIEWS = [
    "{name}'s mum wants help and is frightened for {name}'s safety. She feels she has lost control.",
    "The family think the problems are caused by {name}'s friends and that a school move would help.",
    "{name}'s dad does not think {name} is being exploited and feels the family are being blamed.",
    "{name}'s carers are worried about {name} going missing at night and want more support at weekends.",
    "The family agree with the plan and want to be told quickly if anything changes.",
]
ACTIONS = {
    "childrens_social_care": [
        "Visit {name} at home every week and see {name} alone",
        "Complete a return home conversation after each missing episode",
        "Support {name}'s mum to use the safety plan at home",
        "Refer {name} to {service}",
    ],
    "police": [
        "Share intelligence on the adults linked to {name} with the team",
        "Visit {place} with the neighbourhood team to disrupt the adults there",
        "Issue child abduction warning notices where the evidence allows",
        "Flag {name}'s address on police systems for a quick response",
    ],
    "health": [
        "Offer {name} a sexual health appointment",
        "Complete an emotional health assessment with {name}",
        "Offer {name} drug and alcohol support",
    ],
    "education": [
        "Put in place a daily check-in with a trusted adult at school",
        "Agree a part-time timetable and review it every fortnight",
        "Tell the lead professional the same day if {name} is absent",
    ],
    "youth_justice": [
        "Meet {name} weekly and work through the exploitation programme",
        "Consider the National Referral Mechanism at the next out-of-court decision",
    ],
    "voluntary_sector": [
        "Mentor {name} weekly and help {name} find a positive activity",
        "Take {name} to the youth club taster session",
        "Work with {name} on healthy relationships",
    ],
    "other": ["Meet {name} and go through the plan", "Share updates with the lead professional"],
}
SERVICE_NOTES = [
    "{name} agreed to try it.",
    "Referred with the family's agreement.",
    "Waiting list about four weeks.",
    "{name} went to the first session and liked the worker.",
    "Declined: {name} does not meet the criteria; another service suggested.",
    "",
]

# ---------------------------------------------------------------- reviews

REVIEW_CHANGED = {
    "better": [
        "{name} has not gone missing since the last review and is going to school most days.",
        "{name} has stopped seeing the older group and is going to the youth club on Tuesdays.",
        "The family say home is calmer. {name} says they feel safer because they are not going to {place}.",
        "Police disruption at {place} has reduced the number of adults approaching young people there.",
    ],
    "same": [
        "Little has changed: {name} is engaging with some of the team but still going to {place}.",
        "{name} has had one missing episode. School attendance is similar to last time.",
        "The plan is partly working. {name} is meeting the youth worker but not the school nurse.",
    ],
    "worse": [
        "{name} has gone missing twice and was found in {town} with older males.",
        "New intelligence links {name} to drug supply in another town; risk has increased.",
        "{name} has stopped going to school and will not talk to the team.",
    ],
}

# ---------------------------------------------------------------- contacts and notes

NOTE_WHO = {
    "visit": ["{name} and mum", "{name}, seen alone", "{name} and their carer", "{name}'s parents"],
    "phone": ["{name}'s mum", "{name}", "The designated safeguarding lead"],
    "meeting": ["Case team: {agencies}", "{name}, mum and the lead professional", "Strategy discussion attendees"],
    "online": ["{name}", "Case team by video call"],
    "other": ["{name}", "Duty officer"],
}
NOTE_WHAT = {
    "visit": [
        "Home visit. {name} was in and spoke to me alone in the kitchen. Said things are 'fine' but looked "
        "tired. Mum says {name} was out until 11pm twice this week.",
        "Visited {name} after school. We went through the safety plan together and {name} added a new "
        "person to their trusted adults list.",
        "Visit to talk about the missing episode at the weekend. {name} would not say where they had been "
        "but agreed to keep their phone on.",
        "Took {name} for a walk and a drink. {name} talked about wanting to go to college and about the "
        "friends they have stopped seeing.",
    ],
    "phone": [
        "Mum rang to say {name} came home with new trainers and a second phone. Advised her to keep the "
        "phone and tell the police; shared with the team.",
        "Call with school: attendance is up this half term and {name} has had no exclusions.",
        "{name} rang to cancel our meeting. Rearranged for Thursday.",
    ],
    "meeting": [
        "Case team meeting. Actions reviewed: most on track. Police shared that the adult known as "
        "'{street}' has been arrested. Next meeting in four weeks.",
        "Met {name} and mum at school with the head of year to agree the part-time timetable.",
        "Professionals' meeting about the escalation at {place}. Agreed a disruption visit and a referral "
        "to the panel.",
    ],
    "online": [
        "Video call with {name}, who did not want a home visit this week. Seemed brighter.",
        "Online case team catch-up; the health update was shared.",
    ],
    "other": [
        "Letter sent to the family with the updated plan.",
        "Checked police systems: no new incidents since the last contact.",
    ],
}
RESTRICTED_WHAT = {
    "police": [
        "Intelligence received that {name} is being used to carry drugs to {town} by an adult known as "
        "'{street}'. Not to be shared with the family. Operation in progress.",
        "Covert enquiries under way at {place}. Details restricted to police until the operation ends.",
    ],
    "health": [
        "Sexual health appointment attended. Clinical details recorded in health records; restricted to health.",
        "Emotional health assessment: {name} disclosed self-harm. Restricted to health and the lead agency.",
    ],
    "other": ["Sensitive information from a family member about threats to {name}; restricted to protect the source."],
}

# ---------------------------------------------------------------- closure

OUTCOME = {
    "risk_reduced": [
        "{name} has not gone missing for four months, is attending school and has moved away from the "
        "older group. The family are confident using the safety plan. Stepped down to early help.",
        "The adults exploiting {name} have been charged and {name} is no longer in contact with them. "
        "{name} rates feeling safe at 8 out of 10. Closed with the youth worker staying involved.",
    ],
    "moved": [
        "{name} has moved with the family to {area}. The receiving partnership has the transfer summary and "
        "the plan; the lead professionals have spoken."
    ],
    "turned_18": [
        "{name} turned 18. Risk remains; {name} has agreed to work with adult services and the transition worker."
    ],
    "other": [
        "{name} is now looked after in a placement out of the area and is supported by the placing "
        "authority's exploitation team."
    ],
}
RECEIVING_AREAS = [
    "Stoke-on-Trent Safeguarding Children Partnership",
    "Cheshire West and Chester Safeguarding Children Partnership",
    "Manchester Safeguarding Partnership",
    "Staffordshire Safeguarding Children Partnership",
    "Warrington Safeguarding Partnership",
]
TRANSFER_SUMMARY = (
    "{name} was open to the harm-outside-the-home team for criminal exploitation. The plan, the "
    "contextual assessment and the last review are attached. Key risks: links to older males from "
    "{town} and repeat missing episodes. {name} trusts the youth worker, who will make an "
    "introduction."
)
ADULT_TRANSITION = (
    "{name} has been referred to adult social care and the transition team. The probation service "
    "and the adult exploitation lead know {name}. {name} wants help finding work and housing."
)
REASON_OTHER = [
    "Placed out of the area by the local authority",
    "Family declined all support; risk managed by the single agency",
]
REOPEN_REASON = [
    "{name} has gone missing again and was found with the same group in {town}.",
    "New intelligence links {name} to the adults at {place} again.",
    "School report {name} carrying cash and a second phone again.",
]

# ---------------------------------------------------------------- the panel

PANEL_LOCATIONS = ["Delamere House, Crewe, conference room", "Westfields, Sandbach, committee room 3", "Online (Teams)"]
THEMES = [
    "County lines activity between {town} and {city}",
    "Children going missing from residential homes",
    "Sextortion on {platform}",
    "Knife carrying among year 9 pupils",
    "Vape shops selling to children",
    "Exploitation at the summer fair",
    "Taxi firms carrying unaccompanied children at night",
    "Young people recruited through {platform} job adverts",
]
PANEL_RATIONALE = {
    "continue": "Risk to {subject} remains high; the plan is in place but needs the panel's oversight for another "
    "month.",
    "step_down": "Risk has reduced and the case team can manage it without the panel; stepped down to the case team.",
    "disruption": "Several agencies have information about {subject}; a joint disruption plan is needed.",
    "escalate": "The panel cannot resolve the barriers for {subject} and escalates them to the strategic group.",
    "nrm": "The information indicates {subject} has been trafficked or exploited for criminal gain; refer to the "
    "National Referral Mechanism.",
    "noted": "Updates noted; no further panel action.",
}
PANEL_UPDATES = {
    "childrens_social_care": [
        "The lead professional reports the plan is in place and {subject} has been seen weekly.",
        "Two missing episodes since the last panel; return home conversations held.",
    ],
    "police": [
        "Intelligence links {subject} to an active county line; disruption visits made.",
        "No new incidents since the last panel.",
    ],
    "health": [
        "Attended the emergency department once; safeguarding referral made.",
        "Known to the school nursing service; no new concerns.",
    ],
    "education": ["Attendance 72% this half term, up from 55%.", "On a part-time timetable; engaging well."],
    "youth_justice": [
        "Meeting weekly; working through the exploitation programme.",
        "Out-of-court disposal agreed; the NRM has been considered.",
    ],
    "voluntary_sector": [
        "The youth worker sees {subject} twice a week and reports a trusting relationship.",
        "Attending the youth club regularly.",
    ],
    "probation": ["Subject to licence conditions; a non-contact condition is being considered."],
    "partnership": ["The chair asked for the themes to be brought to the strategic group."],
}
PANEL_ACTIONS = {
    "child": [
        "Update the safety plan after the panel's discussion",
        "Hold a professionals' meeting within two weeks",
        "Share the disruption outcome with the lead professional",
        "Complete an NRM referral",
    ],
    "person": [
        "Consider a child abduction warning notice",
        "Share intelligence with the neighbouring force",
        "Check licence conditions and report back",
    ],
    "place": [
        "Arrange a joint visit with licensing",
        "Ask the premises to install better lighting and CCTV",
        "Increase patrols on Friday and Saturday evenings",
    ],
    "theme": ["Prepare a short briefing for schools", "Bring data on the trend to the next panel"],
}
