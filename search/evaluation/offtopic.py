"""Drafts about something else than a Stack Exchange site's subject: what an
organisation's people ask about their workplace (accounts, leave, expenses,
rooms, laptops, the delivery platform, reports). Asked of a site about
anything but workplace IT and HR, every similar question listed for them is
noise; the ``off_topic`` section counts how many lists are not empty, the one
figure of ``make eval`` that sees noise (MRR only sees where the linked question
is, and the diversity figure only what recurs).

Written on 2026-11-30 before they were first asked, and never changed to suit
a figure. On a site about workplace IT (Server Fault, Super User, DevOps,
The Workplace) some of them are on topic and the figure means less.
"""

OFF_TOPIC: list[tuple[str, str]] = [
    (
        "How do I reset my SSO password?",
        "I was locked out after three attempts and the portal does not send the "
        "reset mail.",
    ),
    (
        "Where can I find the expense policy for client dinners?",
        "I need to know the limit per person before booking.",
    ),
    (
        "How do I book a meeting room for more than ten people?",
        "The calendar only shows the small rooms on my floor.",
    ),
    (
        "Who approves requests for a second monitor?",
        "My manager says it is not her budget.",
    ),
    (
        "How do I add a new service to our Grafana dashboards?",
        "The service exposes Prometheus metrics on port 9100.",
    ),
    (
        "Why does the nightly ETL job time out on Mondays?",
        "It reads the weekend's orders from the warehouse.",
    ),
    (
        "What is the process for on-call handover?",
        "I start my first on-call week next Monday.",
    ),
    (
        "How do I request access to the production database?",
        "I need read access to debug a customer issue.",
    ),
    (
        "Can I carry over unused holiday days to next year?",
        "I still have six days left.",
    ),
    (
        "How do we version our internal Python packages?",
        "Some teams use dates, others semantic versions.",
    ),
    (
        "Where do I report a phishing e-mail?",
        "It looked like it came from the finance team.",
    ),
    (
        "How do I get a parking permit for the office garage?",
        "I drive in twice a week.",
    ),
    (
        "What is the recommended way to store secrets in CI?",
        "Right now they are environment variables in the pipeline settings.",
    ),
    (
        "How do I rotate the TLS certificate on the load balancer?",
        "It expires in two weeks.",
    ),
    (
        "Which laptop models can engineers choose from?",
        "My current laptop is four years old.",
    ),
    (
        "How are customer churn numbers calculated in the monthly report?",
        "Finance and sales report different figures.",
    ),
    (
        "What should I do when a pull request sits without review for days?",
        "The owning team does not respond in the channel.",
    ),
    (
        "How do I set up the VPN on Linux?",
        "The guide only covers Windows and macOS.",
    ),
    (
        "Is there a template for writing a post-mortem?",
        "We had an outage yesterday and want to write it up.",
    ),
    (
        "How do I onboard a new contractor to Slack and Jira?",
        "They start on Monday and need access to our project.",
    ),
    ("How much parental leave do employees get?", "My partner is due in March."),
    (
        "Why are my Docker builds so slow on the shared runners?",
        "Every build downloads all layers again.",
    ),
    (
        "How do I clean up old feature flags?",
        "We have hundreds that are always on.",
    ),
    (
        "Who owns the customer data retention policy?",
        "Legal and engineering each point to the other.",
    ),
    (
        "How can I export my timesheet to Excel?",
        "The HR tool only shows it on screen.",
    ),
    (
        "What is the difference between the staging and acceptance environments?",
        "Both seem to run the same version.",
    ),
    (
        "How do I schedule a recurring report in the BI tool?",
        "The sales team wants it every Monday morning.",
    ),
    (
        "How do I claim travel costs for a conference?",
        "I paid the train tickets myself.",
    ),
    (
        "Where is the style guide for customer e-mails?",
        "Support writes in many different tones.",
    ),
    (
        "How do I migrate a cron job to Kubernetes?",
        "It runs a Python script every hour on an old VM.",
    ),
]
