// Words for the data's codes: what an analyst reads instead of `claim_responsibility` or `superseded`.

// Actions (analyze/lexicon.py ACTIONS): a short edge label, and the verb for "X ___ Y".
export const ACTIONS = {
  attack: ["attacked", "attacked"],
  claim_responsibility: ["claimed responsibility", "claimed responsibility for an attack on"],
  coerce: ["coerced", "coerced"],
  threaten: ["threatened", "threatened"],
  condemn: ["condemned", "condemned"],
  accuse: ["accused", "accused"],
  criticize: ["criticized", "criticized"],
  demand: ["made demands", "made demands of"],
  deny: ["denied", "denied the account of"],
  negotiate: ["negotiated", "negotiated with"],
  meet: ["met", "met"],
  cooperate: ["cooperated", "cooperated with"],
  aid: ["aided", "aided"],
  support: ["supported", "supported"],
  praise: ["praised", "praised"],
  sympathize: ["sympathized", "expressed sympathy with"],
  apologize: ["apologized", "apologized to"],
};

/** The words for an action code; an unknown code has its underscores turned into spaces. */
export function actionWords(code) {
  const known = ACTIONS[code];
  if (known) return { short: known[0], verb: known[1] };
  const words = String(code || "related to").replace(/_/g, " ");
  return { short: words, verb: words };
}

export const CLASSIFICATIONS = {
  contradict: ["contradict", "The versions cannot all be true."],
  differ: ["differ", "The figures differ; they may count different things or times."],
  superseded: ["superseded", "A later figure replaces an earlier one."],
};

export const ATTRIBUTES = {
  killed: "people killed", injured: "people injured", hospitalized: "people in hospital",
  evacuated: "people evacuated", missing: "people missing", arrested: "people arrested",
  responsibility: "who is responsible", time: "time", date: "date",
};

/** "killed" -> "people killed"; "amount:cost" -> "amount (cost)". */
export function attributeWords(code) {
  if (ATTRIBUTES[code]) return ATTRIBUTES[code];
  const [kind, topic] = String(code).split(":");
  return topic ? `${kind} (${topic.replace(/_/g, " ")})` : kind.replace(/_/g, " ");
}

export const QUALIFIERS = { lower: "at least ", upper: "at most ", approximate: "about ", vague: "" };

export const TONES = { hostile: "hostile", friendly: "friendly", neutral: "neutral", mixed: "mixed" };

export const KINDS = { state: "country", person: "person", group: "group", company: "company", organization: "organization" };
