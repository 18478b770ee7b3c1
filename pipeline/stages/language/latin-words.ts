/**
 * Function words of the Latin-script languages we name, and of Russian and
 * Ukrainian typed in Latin letters ("ne rabotaet", "dyakuyu"). Each word adds its
 * weight to every language that writes it, so shared words ("de", "in", "no")
 * cancel out instead of deciding. The Polish and English lists are the hand-weighted
 * ones the first detector was tuned with; Polish is listed with and without
 * diacritics because people type "nie dziala", "juz", "sie". The others are short
 * lists of the most frequent function words (compare the stopword lists of
 * Snowball, https://snowballstem.org/algorithms/), enough to keep a Dutch "is" or a
 * Spanish "no" from passing for English.
 */
export const WORD_LANGS = ["pl", "en", "ru", "uk", "de", "fr", "es", "it", "pt", "nl", "cs", "sk"] as const;
export type WordLang = (typeof WORD_LANGS)[number];

/** word → weight per language, indexed like WORD_LANGS (one typed array per word keeps scoring allocation-free). */
const WORDS = new Map<string, Float64Array>();

function add(lang: WordLang, weight: number, words: string): void {
  const index = WORD_LANGS.indexOf(lang);
  for (const word of words.split(/\s+/)) {
    if (word === "") continue;
    const entry = WORDS.get(word) ?? new Float64Array(WORD_LANGS.length);
    entry[index] = weight;
    WORDS.set(word, entry);
  }
}

// Polish, strong: function words that are not English words.
add("pl", 2, `nie sie się jest że już juz jak tak ale czy dla przez bardzo tylko jeszcze mam mnie jestem był byl była byla było bylo są sa może moze można mozna
  kiedy gdzie dlaczego czemu znowu znów znow zawsze nigdy nic nawet teraz dziś dzis dzisiaj wczoraj jutro przy pod nad bez jego jej ich tym tego tej który ktory
  która ktora które ktore coś cos wszystko wszyscy działa dziala działają dzialaja polecam dzięki dzieki dziękuję dziekuje proszę prosze kurde serio chyba oraz
  lub albo więc wiec też tez jednak żeby zeby jeśli jesli będzie bedzie mają maja mamy macie mój moj moja moje twój twoj pani państwo panstwo dobrze źle zle
  trzeba ktoś ktos nikt każdy kazdy bardziej mniej wtedy potem tutaj tam gdzieś gdzies od po za ze juz sie nam wam mi mnie moze miala mial jakosc slabo`);
// Polish, weak: short words other languages also write.
add("pl", 1, "w z na o co ta te ma ja ty ten pan i u do no");
add("pl", 0.5, "a");
// English, strong.
add("en", 2, `the is are was were be been being of and this that for with not my you your they have has had does did just what why how again still can't cant
  don't dont doesn't doesnt isn't isnt won't wont didn't didnt it's its i'm im i've ive at from by or but so very really about after since will would out all
  get got there their here when who which if than then our me he she his her them can could should working works today now know like love thanks thank please
  great good bad worst best any some every down also only before because ever never anyone else nothing something everything says said these those it
  keeps arrived happy`);
add("en", 1, "i");
add("en", 1.5, "in yet other");
add("en", 1, "an up off into over us we am as new more hours minutes customers on no");
add("en", 0.5, "a");

// Russian in Latin letters (GOST/ISO 9 and the informal "chat" spellings).
add("ru", 3, `rabotaet rabotayet rabotajet privet spasibo spasibki uzhe uzhas ochen pochemu kogda opyat opiat seychas sejchas segodnya tozhe menya blin khorosho
  horosho otlichno ploho plokho voobshche vobshe nichego gde skolko mozhno bolshoe lezhit pochinite pochinili podderzhka podderzhku podderzhki nedelyu mesyac
  tretiy dengi pomosch pomoshch dovolna dovolen rekomenduyu otlichnyy otlichnyi gruzitsya dozvonitsya vyletaet prishel prishla propal shoke chto shto eto
  proishodit proiskhodit spisali uslugi medlenno bystro zhdat zhdu mozhet sdelali vsyo vsio takogo
  kto eti etot eta etu zhe vot bylo byla byli budet esli dazhe eshche eshe esche potom vchera zavtra vsegda nikogda kotoryy kotoryi chtoby nuzhno
  sovsem pochti khochu hochu znayu znaju dumayu ponyal ponyatno sluchilos`);
add("ru", 2, "vse net snova tolko nado dostavka servisa moy normalno kak chas zakaz");
add("ru", 1, "ne ya vy vam prosto servis pri");
// Ukrainian in Latin letters.
add("uk", 4, "pratsyuye pratsiuie pratsyuie dyakuyu diakuiu dyakuiu shcho vzhe duzhe znovu nemaye nemae hodynu zvyazku zviazku povilno chomu");
add("uk", 2, "koly teper vse");
add("uk", 1, "ne");

add("de", 2, `der die das und ist nicht ich mit auf den dem des ein eine einen einem schon wieder noch sehr aber auch für fur bei seit kein keine mein meine nur
  wird werden wurde hat haben habe sind war warum wie wo immer nichts heute danke bitte gut schlecht geht funktioniert nein von vom zum zur uns mehr kann`);
add("de", 1, "was es sie wir ja zu so also am an in will");
add("fr", 2, `le les un une des du et est pas je j'ai c'est ça ca mon ma mes pour avec sur dans plus depuis encore très tres toujours merci bien mal qui
  quoi pourquoi ils elle nous vous il ont suis fait rien jamais au aux ce cette n'est marche`);
add("fr", 1, "de la ne que en on me");
add("es", 2, `el los las una del y por para con se lo mi mis muy pero desde hoy todavía todavia nada nunca siempre gracias está esta estoy qué porque
  cuando donde hay tengo tiene sin más mas funciona servicio pedido`);
add("es", 1, "la de que en no es un le ya me");
add("it", 2, `il gli di è che non per sono ho ha hanno anche ancora già gia sempre mai grazie bene male perché perche oggi ieri niente molto più piu
  della dei delle alla nel nella questo questa cosa come funziona servizio`);
add("it", 1, "lo la le un una da e su mi ma del al in a");
add("pt", 2, "não nao um uma dos das meu minha muito mas já ainda obrigado obrigada hoje ontem está estou tem ter isso isto você voce ao aos mais");
add("pt", 1, "o a os as de do da e é que em no na para com por se nada sempre nunca bem mal");
add("nl", 2, `het een niet ik mijn jij wij zijn heb hebben heeft met op voor van nog weer geen wel maar ook dat dit naar om bij uit nu vandaag gisteren
  altijd nooit bedankt dank goed slecht waarom hoe wat doet werkt kapot`);
add("nl", 1, "de en is was je we al die er te in");
add("cs", 2, `že už jsem jsi jste jsou nic ale taky také proč proc dnes včera vůbec vubec pořád porad moc velmi děkuji dekuji díky diky nefunguje funguje
  zase opět opet není neni můj muj který ktery bych protože protoze jen`);
add("cs", 1, "je se na ne to tak");
add("sk", 2, `sa som sú stále stale ďakujem dakujem prečo preco vôbec vobec ako aj alebo ani veľmi ešte este iba len opäť nefunguje funguje dnes`);
add("sk", 1, "je na ne že už si");

/** Spelling that gives Polish, English or Russian transliteration away in words the lists do not know. */
const SPELLING: [WordLang, RegExp, number][] = [
  ["pl", /rz|sz|cz|dz|prz|ów|ych|ami|ego|ość|osc|cja|cji|owa|ować|owac|wie|ieg|iej/, 0.4],
  ["en", /th|wh|sh|ing$|tion|ould|ee|oo|ea|ck|ly$|[qvx]/, 0.4],
  // Spellings only transliterated Russian writes: zh, kh, shch for ж х щ; y + vowel for я ю ё
  // after a consonant; -tsya/-sya, -aet, -iy/-yy endings. Polish writes ż, ch, szcz, ia, ię instead.
  ["ru", /zh|kh|shch|tsya$|sya$|aet$|ayut$|yat$|iy$|yy$|[^aeiouy]y[aou]/, 1],
];

const LATIN_TOKEN = /[a-z\u00c0-\u024f]+(?:['’][a-z]+)?/g;

const SPELLING_INDEX = SPELLING.map(([lang]) => WORD_LANGS.indexOf(lang));

export interface WordEvidence {
  /** Evidence per language in weight units, indexed like WORD_LANGS. */
  scores: Float64Array;
  /** Latin words of two letters or more. */
  words: number;
  /** Of those, words that gave any evidence. */
  telling: number;
}

/** Evidence per language from the words of one text (lower-cased Latin tokens). */
export const scoreLatinWords = (prose: string): WordEvidence => {
  const scores = new Float64Array(WORD_LANGS.length);
  let words = 0;
  let telling = 0;
  for (const raw of prose.toLowerCase().match(LATIN_TOKEN) ?? []) {
    if (raw.length < 2 && !WORDS.has(raw)) continue;
    words++;
    const token = raw.includes("’") ? raw.replace("’", "'") : raw;
    const known = WORDS.get(token);
    if (known !== undefined) {
      telling++;
      for (let i = 0; i < known.length; i++) scores[i]! += known[i]!;
    } else if (token.length >= 4) {
      for (let i = 0; i < SPELLING.length; i++) {
        if (SPELLING[i]![1].test(token)) {
          scores[SPELLING_INDEX[i]!]! += SPELLING[i]![2];
          telling++;
        }
      }
    }
  }
  return { scores, words, telling };
};
