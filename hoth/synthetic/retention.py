"""The generator's truth under the retention schedule
(hoth.information_governance.record_types). Synthetic data only: real
partnerships never have these rows."""

from hoth.information_governance.record_types import NoPersonalData, Part

GENERATED = "Generated data only: what the synthetic generator planted, for tests"

RECORDS = {
    "synthetic.TrueIdentity": [Part("person", "person", delete=True)],
    "synthetic.PlantedNetwork": [NoPersonalData(GENERATED)],
    "synthetic.PlantedMember": [NoPersonalData(GENERATED)],
    "synthetic.PlantedHotspot": [NoPersonalData(GENERATED)],
    "synthetic.NoiseLink": [NoPersonalData(GENERATED)],
}
