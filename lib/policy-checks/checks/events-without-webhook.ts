import { compliant, nonCompliant, notApplicable, type PolicyCheck } from "../policy-check";

/** Webhook events are only delivered to a webhook URL. */
export const eventsWithoutWebhook: PolicyCheck = {
  id: "events-without-webhook",
  level: "warning",
  info: "The App subscribes to events but has no webhook URL.",
  explanation:
    "GitHub delivers events only to an active webhook: without app.webhookUrl the subscriptions do nothing, and the list suggests a reaction to events that never happens. Remove them, or set app.webhookUrl.",
  evaluate(org) {
    if (org.app.events.length === 0) return notApplicable;
    return org.app.webhookUrl ? compliant : nonCompliant(`app.events lists ${org.app.events.join(", ")} and app.webhookUrl is not set`);
  },
};
