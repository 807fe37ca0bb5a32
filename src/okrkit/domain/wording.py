"""Reading goals written in words: numbers, outputs, status-quo targets, engagement.

The linter (OKR001, OKR002, OKR006, OKR008) and the decision filter share these
readings, so a phrase is judged the same way everywhere. Each reading returns the
words that decided it (`Evidence`), because an answer must say why.

The readings follow the seeds' distinctions, on meaning rather than on a first word.
A sentence is first tidied (list labels, asides in brackets and "where X is defined
as …" clauses dropped), then read for:

- *numbers* (OKR001): digits, percentages, money, multipliers, number words used as
  amounts, placeholders ("XX %") and comparisons — but not dates, quarters, version or
  product names ("Web 3.0", "the 8086"), form codes ("1095-B", "W-2"), ranks and
  ordinals ("tier-1", "Phase 2", "3rd parties"), specs ("16-bit"), periods ("over the
  next 18 months", "In 90 days, …") or arrows between steps ("lead > proposal > deal");
- an *output* (OKR002): work the team does or a thing it ships, read by the grammar of
  the sentence rather than by phrases — an opening verb of making or doing, known by its
  class ("Launch", "Hire", "Negotiate", "Set up", "A/B test", adverbs skipped: "Fully
  automate") or, unlisted, by its place before an article ("Modernize the billing
  stack", unless its object is people, an outcome or an abstraction); "ensure" with no
  level ("Ensure the new app works offline"); a change verb whose object is the team's
  own artefact ("Improve our release process"); a deliverable stated as done or existing
  ("The new search is live", "X is linked to a brief", "2 designers hired", "Updated 30
  articles", "We've documented …", "X exists", "There is a prototype of Y", "Dark mode
  available on iOS"), held by a product ("DHT has stream support", "Have benchmarks that
  …") or a new capability of it ("Users can export their data", "X supports Y", "X
  learns to …", unless a performance target: "can import 1 GB in a minute"); a document
  holding what it should ("Handbook outlines Z", "This outline defines …"); the team's
  own work ("The team runs a retro every sprint", "All new hires go through security
  training"); a count of the team's own artefacts ("Publish 4 blog posts", "3 case
  studies") unless others' behaviour, opinions, rankings, a statistic or a cap decide
  it; or a deliverable named with no verb ("Monthly release notes for customers", "POC
  of X", "A detailed plan for …", "ROI analysis of …": the head noun of the phrase
  decides, what follows "of"/"for" only modifies it), or by a gerund that takes an
  object ("Launching of the new programme", "Hiring: two engineers"). The sentence's
  structure is read before its phrases: the doer (the team or its tooling doing a verb
  of doing to an object — "Ansible manages our deployments", "SREs should prepare test plans" — but
  not customers, users or a metric), a passive of doing, modal too ("will be
  documented", "to be written"), over a share of things rather than of people ("100 %
  of critical findings are remediated"), and the direction of a change (more of the
  team's artefacts from a baseline is work; fewer bugs is a change in quality). How well
  a task is done is not the task ("Run the suite in under 5 minutes", "… more
  efficiently"). Mixed key results — an output plus an adoption figure, or a task
  joined to a change by "and" — are outputs, and a bar
  in a purpose clause does not undo the work that opens the sentence ("Develop buffers
  to ensure incidents remain …"). A standing bar on handling work ("Answer 95 % of
  tickets in under 4 hours") is a service level, not a deliverable; a change in a level,
  a share of people doing something ("Half of new users complete the tutorial", "Measure
  the number of users who …") or a change in what others do or buy is an *outcome*, even
  when it starts with a verb ("Generate 500 qualified leads", "Add 30 customers"). With no
  opening verb the subject and predicate decide (`wording_named`): a noun phrase whose
  head is not a metric, an outcome, people or a quality names a thing to have
  ("Structural pointers", "User suggested edits", a singular first word only modifying),
  "We have a runbook for …", an artefact put in production ("X becomes the default", "X
  is used for daily Y work"), reported finished ("Finished payroll v2") or done with its
  auxiliary dropped ("3 vendors assessed", "100 % of SREs trained"), and a causative of
  work ("Get v2 released", "Make X the default"); "Land"/"Improve" a thing the team makes
  with no level is work on it ("Land bulk actions"), a quality improved is not. A key
  result read as neither is an output by default (`key_result_output`, from
  `wording_outcome`): it is an *outcome* only when it names a change in, or a level of, a
  quantity or of what others do, or a performance target of the team's work. A number
  is a level only by what it counts (`wording_counts`): a share, money, a multiplier, a
  time, a measure in units, a rank, or other people and what they do ("500 customers",
  "300 attendees"); a tally of the team's own artefacts or activities ("12 streams",
  "Read 40 books", "Calls with 400+ participants") is none, nor a schedule of one's own
  activity ("Swim 3x/week for at least 40 minutes") nor a change whose target counts
  the team's own artefacts ("Grow the template library to 200 templates"). Outcomes in
  the grammar of work are read before the output readings (`wording_lead`): others
  counted doing ("Three partner teams use the new API", "All team members have moved
  …"), a thing taken up by others ("… visited by 10k developers"), a measure or a
  metric compound named first ("Number of …", "Deploy frequency of …"), people able to
  do a thing unaided, others enabled to reach a result, money delivered, a level aimed at,
  a finish time, a product quality stated — unless a task is joined to them;
- a *status-quo target* (OKR006), a KPI dressed as an OKR, by the seeds' one question:
  does the goal hold a level or state it is already at, or ask for a change from its
  baseline? The question is asked of the goal's own predicate, found first
  (`wording_predicate`): a main verb of change or of doing ("Review 50 merge requests
  with an eye on availability", "Fill remaining roles", "Optimize X to keep up with Y",
  "Track all issues and achieve …") asks for that change or work, whatever a purpose
  clause, a participle or a noun says, and a from → to in any number format ("1:3.7 to
  1:3") is a change. Held: a verb of holding ("Maintain 99.9 % uptime", "Keep CSAT above
  90 %", "Retain our enterprise customers", "remain the market leader", "Continue doing
  X", "Keep hiring", "Continuing to run the meetup", "Ensure uptime does not fall below
  99.9 %"), a bar against any new harm ("Don't release any new bugs", "zero
  regressions", "No regression should exist in production for more than a day"), a
  target equal to its baseline, a level held over a whole period or at today's value ("<
  1 % errors throughout 2026", "no higher than today's 3 %"), a metric stated as equal
  to a number ("DAU = 100,000"), or watching a metric as the goal ("Track and report on
  …", "Actively monitor …"), a bare metric name with no level, change or work too
  ("Number of concept views from works pages", "Weekly active contributors", "Completion
  success rate"). A change asked for
  is not a status quo even with a threshold, a rate, "ensure" or "no more than" ("Grow
  MRR 5 % month over month", "Reduce churn to no more than 2 %", "Ensure every new
  customer completes onboarding in their first week", "99 % uptime" with no word of
  holding — a target is a destination unless its words say it is already reached), nor a
  guardrail held beside the change ("Reach 1,000 customers while keeping churn low").
  Maintaining a thing is work, not a level ("Draft and maintain the guides",
  "Rebuild the handbook and keep it up to date", "Maintain & secure the servers"), and
  retaining what the goal first wins is part of the change ("Add and retain 5 members").
  Also held: a level "consistently" met, a metric stated where it stands ("CSAT is at
  98 %"), a passive of holding ("is maintained at …"), metrics "monitored and reported",
  "no one hurt", and with no holding opening (`wording_ongoing`): a light verb whose
  complement holds ("Enable the fund to maintain reserves above $1M"), a thing kept in
  its state ("Keeping partners informed"), "keeps doing X", a bar met every period
  ("SLOs are met every month"), watching as the goal ("X is measured and reported",
  "Review the dashboard every week", "Monitor activation"), a safe state ("data is well
  protected"); but not records
  kept over all items ("All engagements are tracked and reported in the CRM") nor a
  property of a thing ("easier to maintain"). Not held: a bar that goes with the work
  or result asked for ("Complete the migration with zero data loss"), a leftover
  ("with 50 % of the food remaining"), work spread over a period ("Hire 5 engineers
  throughout 2026"); a date is no level. Nor a change carried on ("Keep improving
  activation", "Continue efforts to reduce churn": `continued_change`), measurement
  made to exist ("Set up a dashboard for X", "We start measuring a metric …"), or
  watching joined to making ("Measure NPS and create a roadmap"); a means after a held
  level does not undo it ("Maintain 99.9 % uptime by moving to Kubernetes").

Hand-written because no maintained library classifies goal statements; these are
small, explainable rules measured against a labelled corpus (bench/lint_quality.py).
"""

from __future__ import annotations

from okrkit.domain.wording_bars import recurring, standing_bar
from okrkit.domain.wording_counts import counted_level, tally
from okrkit.domain.wording_held import status_quo
from okrkit.domain.wording_lead import led_by_outcome
from okrkit.domain.wording_outcome import key_result_output, outcome
from okrkit.domain.wording_output import output
from okrkit.domain.wording_predicate import continued_change
from okrkit.domain.wording_text import (
    Evidence,
    engagement,
    from_to,
    leading_verb,
    numbers_in,
    outcome_change,
    words,
)

__all__ = [
    "Evidence",
    "continued_change",
    "counted_level",
    "engagement",
    "from_to",
    "key_result_output",
    "leading_verb",
    "led_by_outcome",
    "numbers_in",
    "outcome",
    "outcome_change",
    "output",
    "recurring",
    "standing_bar",
    "status_quo",
    "tally",
    "words",
]
