/** The weekly report's words in each language it is written in; numbers and dates come from Intl (report-format.ts). */

export const REPORT_LANGS = ["en", "pl", "ru"] as const;
export type ReportLang = (typeof REPORT_LANGS)[number];

export interface ReportLabels {
  title: string;
  /** {brand}, {week}, {period} */
  subtitle: string;
  mentions: string;
  netSentiment: string;
  negativeShare: string;
  /** {week} */
  versus: string;
  noComparison: string;
  /** Suffix of a change in percentage points. */
  points: string;
  daily: string;
  all: string;
  negative: string;
  positive: string;
  problems: string;
  problemNames: Record<string, string>;
  problemColumns: [string, string, string, string];
  noProblems: string;
  sources: string;
  sourceColumns: [string, string, string];
  authorsByReach: string;
  authorsByCount: string;
  authorColumns: [string, string, string, string];
  incidents: string;
  incidentColumns: [string, string, string, string, string];
  noIncidents: string;
  /** {tta}, {ttr} */
  incidentMedians: string;
  notAcknowledged: string;
  stillOpen: string;
  severity: Record<string, string>;
  negativeQuotes: string;
  positiveQuotes: string;
  basisRepeats: string;
  basisReach: string;
  /** {n} */
  copies: string;
  /** {n} */
  reach: string;
  noQuotes: string;
  noMentions: string;
  /** {date}, {zone} */
  produced: string;
  /** E-mail: {brand}, {week} */
  subject: string;
  /** {name} */
  greeting: string;
  /** {brand}, {period} */
  intro: string;
  attached: string;
  sentBy: string;
}

const en: ReportLabels = {
  title: "Weekly report",
  subtitle: "{brand} · week {week} · {period}",
  mentions: "Mentions",
  netSentiment: "Net sentiment",
  negativeShare: "Negative share",
  versus: "vs {week}",
  noComparison: "no mentions the week before",
  points: "pp",
  daily: "Mentions per day",
  all: "All",
  negative: "Negative",
  positive: "Positive",
  problems: "Problem types",
  problemNames: {
    outage: "Outage",
    delivery: "Delivery",
    quality: "Quality",
    price: "Price",
    service: "Customer service",
    scandal: "Scandal / PR",
    security: "Security",
  },
  problemColumns: ["Problem", "Mentions", "Week before", "Change"],
  noProblems: "No problem types reported this week.",
  sources: "Top sources",
  sourceColumns: ["Source", "Mentions", "Negative"],
  authorsByReach: "Authors by reach",
  authorsByCount: "Most active authors",
  authorColumns: ["Author", "Source", "Reach", "Mentions"],
  incidents: "Incidents",
  incidentColumns: ["Started", "Severity", "Peak/min", "Time to acknowledge", "Time to resolve"],
  noIncidents: "No incidents this week.",
  incidentMedians: "Median time to acknowledge: {tta} · median time to resolve: {ttr}",
  notAcknowledged: "not acknowledged",
  stillOpen: "still open",
  severity: { warning: "warning", critical: "critical" },
  negativeQuotes: "Most-seen negative quotes",
  positiveQuotes: "Most-seen positive quotes",
  basisRepeats: "Near-identical posts are grouped; the most repeated come first.",
  basisReach: "No post was repeated this week, so the quotes are those of the authors with the largest reach.",
  copies: "posted {n}×",
  reach: "reach {n}",
  noQuotes: "None this week.",
  noMentions: "No mentions this week.",
  produced: "Produced {date} · times in {zone}",
  subject: "Weekly report: {brand}, {week}",
  greeting: "Hello {name},",
  intro: "here is the weekly report for {brand} ({period}).",
  attached: "The full report is attached as a PDF.",
  sentBy: "Earshot, social media monitoring",
};

const pl: ReportLabels = {
  title: "Raport tygodniowy",
  subtitle: "{brand} · tydzień {week} · {period}",
  mentions: "Wzmianki",
  netSentiment: "Sentyment netto",
  negativeShare: "Udział negatywnych",
  versus: "wobec {week}",
  noComparison: "brak wzmianek w poprzednim tygodniu",
  points: "p.p.",
  daily: "Wzmianki dziennie",
  all: "Wszystkie",
  negative: "Negatywne",
  positive: "Pozytywne",
  problems: "Typy problemów",
  problemNames: {
    outage: "Awaria",
    delivery: "Dostawa",
    quality: "Jakość",
    price: "Cena",
    service: "Obsługa klienta",
    scandal: "Skandal / PR",
    security: "Bezpieczeństwo",
  },
  problemColumns: ["Problem", "Wzmianki", "Tydzień wcześniej", "Zmiana"],
  noProblems: "W tym tygodniu nie zgłoszono problemów.",
  sources: "Główne źródła",
  sourceColumns: ["Źródło", "Wzmianki", "Negatywne"],
  authorsByReach: "Autorzy według zasięgu",
  authorsByCount: "Najaktywniejsi autorzy",
  authorColumns: ["Autor", "Źródło", "Zasięg", "Wzmianki"],
  incidents: "Incydenty",
  incidentColumns: ["Początek", "Waga", "Szczyt/min", "Czas do przyjęcia", "Czas do rozwiązania"],
  noIncidents: "W tym tygodniu nie było incydentów.",
  incidentMedians: "Mediana czasu do przyjęcia: {tta} · mediana czasu do rozwiązania: {ttr}",
  notAcknowledged: "nieprzyjęty",
  stillOpen: "wciąż otwarty",
  severity: { warning: "ostrzeżenie", critical: "krytyczny" },
  negativeQuotes: "Najczęściej widziane negatywne wypowiedzi",
  positiveQuotes: "Najczęściej widziane pozytywne wypowiedzi",
  basisRepeats: "Niemal identyczne wpisy są zgrupowane; najczęściej powtarzane są pierwsze.",
  basisReach: "W tym tygodniu żaden wpis się nie powtórzył, więc cytaty pochodzą od autorów o największym zasięgu.",
  copies: "opublikowano {n}×",
  reach: "zasięg {n}",
  noQuotes: "Brak w tym tygodniu.",
  noMentions: "W tym tygodniu nie było wzmianek.",
  produced: "Wygenerowano {date} · godziny w strefie {zone}",
  subject: "Raport tygodniowy: {brand}, {week}",
  greeting: "Dzień dobry, {name},",
  intro: "oto raport tygodniowy marki {brand} ({period}).",
  attached: "Pełny raport jest w załączniku (PDF).",
  sentBy: "Earshot, monitoring mediów społecznościowych",
};

const ru: ReportLabels = {
  title: "Еженедельный отчёт",
  subtitle: "{brand} · неделя {week} · {period}",
  mentions: "Упоминания",
  netSentiment: "Чистая тональность",
  negativeShare: "Доля негативных",
  versus: "к {week}",
  noComparison: "на прошлой неделе упоминаний не было",
  points: "п.п.",
  daily: "Упоминания по дням",
  all: "Все",
  negative: "Негативные",
  positive: "Позитивные",
  problems: "Типы проблем",
  problemNames: {
    outage: "Сбой",
    delivery: "Доставка",
    quality: "Качество",
    price: "Цена",
    service: "Обслуживание",
    scandal: "Скандал / PR",
    security: "Безопасность",
  },
  problemColumns: ["Проблема", "Упоминания", "Неделей ранее", "Изменение"],
  noProblems: "На этой неделе о проблемах не сообщали.",
  sources: "Основные источники",
  sourceColumns: ["Источник", "Упоминания", "Негативные"],
  authorsByReach: "Авторы по охвату",
  authorsByCount: "Самые активные авторы",
  authorColumns: ["Автор", "Источник", "Охват", "Упоминания"],
  incidents: "Инциденты",
  incidentColumns: ["Начало", "Важность", "Пик/мин", "Время до принятия", "Время до решения"],
  noIncidents: "Инцидентов на этой неделе не было.",
  incidentMedians: "Медиана времени до принятия: {tta} · медиана времени до решения: {ttr}",
  notAcknowledged: "не принят",
  stillOpen: "ещё открыт",
  severity: { warning: "предупреждение", critical: "критический" },
  negativeQuotes: "Самые заметные негативные высказывания",
  positiveQuotes: "Самые заметные позитивные высказывания",
  basisRepeats: "Почти одинаковые посты сгруппированы; сначала самые повторяемые.",
  basisReach: "На этой неделе ни один пост не повторился, поэтому приведены цитаты авторов с наибольшим охватом.",
  copies: "опубликовано {n}×",
  reach: "охват {n}",
  noQuotes: "На этой неделе нет.",
  noMentions: "Упоминаний на этой неделе не было.",
  produced: "Сформирован {date} · время по поясу {zone}",
  subject: "Еженедельный отчёт: {brand}, {week}",
  greeting: "Здравствуйте, {name}!",
  intro: "Еженедельный отчёт по бренду {brand} ({period}).",
  attached: "Полный отчёт — во вложении (PDF).",
  sentBy: "Earshot, мониторинг социальных сетей",
};

export const REPORT_LABELS: Readonly<Record<ReportLang, ReportLabels>> = { en, pl, ru };

export function isReportLang(value: unknown): value is ReportLang {
  return typeof value === "string" && (REPORT_LANGS as readonly string[]).includes(value);
}

/** Fills `{name}` placeholders. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? String(values[name]) : whole));
}
