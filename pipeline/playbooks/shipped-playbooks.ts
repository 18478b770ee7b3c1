import defaultBook from "./data/default.json" with { type: "json" };
import delivery from "./data/delivery.json" with { type: "json" };
import outage from "./data/outage.json" with { type: "json" };
import quality from "./data/quality.json" with { type: "json" };
import scandal from "./data/scandal.json" with { type: "json" };
import security from "./data/security.json" with { type: "json" };
import { playbookListSchema, type Playbook } from "./playbook-schema";

/**
 * The playbooks Earshot ships: one per problem type that needs its own
 * response (outage, delivery, quality, scandal, security) and a default.
 * Parsed once at load, so a broken edit of data/*.json fails at start-up with
 * the path of the problem, not in the middle of an incident.
 */
export const SHIPPED_PLAYBOOKS: readonly Playbook[] = playbookListSchema.parse([outage, delivery, quality, scandal, security, defaultBook]);
