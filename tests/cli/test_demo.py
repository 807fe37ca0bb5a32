"""`okrkit demo` as a new user first meets it: the seed story, the same for everyone."""

from __future__ import annotations

import json

TODAY = "2026-11-23"


def test_demo_json_tells_the_seed_story(okrkit):
    result = okrkit("demo", "--today", TODAY, "--format", "json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    kpis = doc["kpis"]
    assert len(kpis) >= 8
    for key in ("dau", "churn", "trial_to_paid", "nps", "api_latency_p95", "mrr",
                "activation_rate", "support_first_response"):  # fmt: skip
        assert key in kpis
        assert kpis[key]["stale"] is False
        assert kpis[key]["verdict"] in ("signal", "routine")
    ttp = kpis["trial_to_paid"]
    assert ttp["status"] == "yellow"
    assert ttp["latest"]["value"] == 12.0
    assert ttp["verdict"] == "signal"
    assert {s["direction"] for s in ttp["xmr"]["signals"] if s["rule"] == "run_of_8"} == {"down"}
    objective = doc["objective"]
    assert objective["key"] == "streamline-onboarding"
    assert objective["title"] == "Streamline onboarding to drive high-value conversions"
    # The Monday of TODAY is seven weeks into the cycle: named by its first day, as the
    # cycle after a custom span is.
    assert objective["cycle"] == "from-2026-10-05"
    wizard, first_action, conversion = objective["key_results"]
    assert wizard["title"] == "Increase setup wizard completion rate from 40% to 70%"
    assert first_action["title"] == "Cut time to first key action from 8 to 3 minutes"
    assert conversion["title"] == "Lift trial-to-paid conversion from 12% back to 16%"
    # Seven weekly check-ins: a forecast for each.
    assert [kr["n"] for kr in objective["key_results"]] == [7, 7, 7]
    assert wizard["forecast"] is not None
    assert wizard["pace"] == "on_track"
    assert first_action["pace"] == "at_risk"
    # Fed by the KPI: its values in the cycle, still sliding to 12 %.
    assert conversion["pace"] == "off_track"
    assert conversion["forecast"] < 12


def test_demo_is_the_same_for_everyone(okrkit):
    first = okrkit("demo", "--today", TODAY, "--format", "json")
    second = okrkit("demo", "--today", TODAY, "--format", "json")
    assert first.stdout == second.stdout


def test_demo_table(okrkit):
    result = okrkit("demo", "--today", TODAY)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Trial-to-paid conversion rate" in out
    assert "Streamline onboarding to drive high-value conversions" in out
    assert "cycle from-2026-10-05 (2026-10-05 to 2027-01-03), aspirational" in out
    assert "fed by KPI trial_to_paid" in out
    assert "yellow" in out
    assert "Routine variation" in out or "Signal" in out
