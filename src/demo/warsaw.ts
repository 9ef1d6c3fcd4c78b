// Static Warsaw data for the demo generator: real streets per district, postal-code ranges, Polish
// names, firm names and HVAC job templates. Pure data, no randomness; generate.ts draws from it.

import type { JobType, PropertyType, Skill } from "../domain/types";

/**
 * Real streets of each district. Entries without a prefix are "ulica" and get "ul." in addresses;
 * avenues ("al.") and squares ("pl.") carry their own prefix.
 */
export const DISTRICT_STREETS: Readonly<Record<string, readonly string[]>> = {
  Bemowo: [
    "Powstańców Śląskich", "Górczewska", "Lazurowa", "Człuchowska", "Wrocławska", "Kaliskiego",
    "Pełczyńskiego", "Dywizjonu 303", "Obrońców Tobruku", "Radiowa",
  ],
  Białołęka: [
    "Modlińska", "Światowida", "Ostródzka", "Myśliborska", "Mehoffera", "Skarbka z Gór", "Berensona",
    "Odkryta", "Marywilska", "Głębocka",
  ],
  Bielany: [
    "Marymoncka", "Żeromskiego", "Kasprowicza", "Wólczyńska", "Conrada", "Reymonta", "Przybyszewskiego",
    "Schroegera", "Kochanowskiego", "Lindego",
  ],
  Mokotów: [
    "Puławska", "Racławicka", "Woronicza", "Odyńca", "Madalińskiego", "Rakowiecka", "Dolna", "Bukowińska",
    "Domaniewska", "Narbutta",
  ],
  Ochota: [
    "Grójecka", "Banacha", "Opaczewska", "Białobrzeska", "Kaliska", "Filtrowa", "Szczęśliwicka", "Dickensa",
    "Joteyki", "Słupecka",
  ],
  "Praga-Południe": [
    "Grochowska", "Saska", "Francuska", "Ostrobramska", "al. Stanów Zjednoczonych", "Umińskiego", "Fieldorfa",
    "Abrahama", "Kinowa", "Siennicka",
  ],
  "Praga-Północ": [
    "Targowa", "Ząbkowska", "Stalowa", "Brzeska", "Inżynierska", "Jagiellońska", "Kłopotowskiego", "Okrzei",
    "11 Listopada",
  ],
  Rembertów: [
    "al. gen. Antoniego Chruściela", "Marsa", "Żołnierska", "Chełmżyńska", "Strażacka", "Paderewskiego",
    "Cyrulików", "Zesłańców Polskich", "Gawędziarzy", "Bellony",
  ],
  Śródmieście: [
    "Marszałkowska", "Nowy Świat", "Krucza", "Hoża", "Wilcza", "Mokotowska", "Piękna", "Emilii Plater", "Złota",
    "Chmielna",
  ],
  Targówek: [
    "Radzymińska", "Kondratowicza", "św. Wincentego", "Bartnicza", "Wysockiego", "Łabiszyńska", "Remiszewska",
    "Malborska", "Turmoncka", "Codzienna",
  ],
  Ursus: [
    "Dzieci Warszawy", "gen. Sosnkowskiego", "Regulska", "Traktorzystów", "Posag 7 Panien", "Bohaterów Warszawy",
    "Keniga", "Orłów Piastowskich", "Gierdziejewskiego",
  ],
  Ursynów: [
    "al. Komisji Edukacji Narodowej", "Dereniowa", "Lanciego", "Rosoła", "Pileckiego", "Surowieckiego",
    "Wąwozowa", "Cynamonowa", "Płaskowickiej", "Herbsta",
  ],
  Wawer: [
    "Patriotów", "Wał Miedzeszyński", "Trakt Lubelski", "Kościuszkowców", "Zagórzańska", "Bajkowa",
    "Króla Maciusia", "Wydawnicza", "Mrówcza", "Zwoleńska",
  ],
  Wesoła: [
    "1 Praskiego Pułku", "Okuniewska", "Armii Krajowej", "Niemcewicza", "Trakt Brzeski", "Jana Pawła II",
    "Staszica", "Wawerska", "Berenta", "Głowackiego",
  ],
  Wilanów: [
    "al. Rzeczypospolitej", "Sarmacka", "Branickiego", "Klimczaka", "Przyczółkowa", "Hlonda", "Wiertnicza",
    "Kostki Potockiego", "Oś Królewska", "Vogla",
  ],
  Włochy: [
    "al. Krakowska", "Popularna", "Globusowa", "Chrobrego", "1 Sierpnia", "Łopuszańska", "Jutrzenki", "Świerszcza",
  ],
  Wola: [
    "Wolska", "Leszno", "Okopowa", "Towarowa", "Kasprzaka", "Grzybowska", "Prosta", "Młynarska", "Żelazna",
    "Chłodna",
  ],
  Żoliborz: [
    "Mickiewicza", "Słowackiego", "Krasińskiego", "ks. Jerzego Popiełuszki", "Czarnieckiego", "Kaniowska",
    "Gdańska", "Sułkowskiego", "Dymińska", "Promyka",
  ],
};

/** "Puławska" -> "ul. Puławska"; "al. Krakowska" stays as it is. */
export function streetLabel(street: string): string {
  return /^(al|pl)\. /.test(street) ? street : `ul. ${street}`;
}

/**
 * Postal codes used in each district, as inclusive numeric ranges (2715 = "02-715"). Approximate but
 * plausible. Wesoła joined Warsaw in 2002 and kept its own codes, 05-075 and 05-077 "Warszawa".
 */
export const DISTRICT_POSTAL_RANGES: Readonly<Record<string, readonly (readonly [number, number])[]>> = {
  Śródmieście: [[1, 950]],
  Wola: [[1001, 1249]],
  Bemowo: [[1301, 1497]],
  Żoliborz: [[1501, 1693]],
  Bielany: [[1801, 1999]],
  Ochota: [[2001, 2129], [2301, 2385]],
  Włochy: [[2130, 2299]],
  Ursus: [[2436, 2499]],
  Mokotów: [[2501, 2775]],
  Ursynów: [[2776, 2899]],
  Wilanów: [[2950, 2999]],
  Białołęka: [[3001, 3299]],
  Targówek: [[3301, 3399], [3501, 3699]],
  "Praga-Północ": [[3401, 3499], [3701, 3799]],
  "Praga-Południe": [[3801, 3999], [4001, 4399]],
  Rembertów: [[4401, 4499]],
  Wawer: [[4501, 4999]],
  Wesoła: [[5075, 5075], [5077, 5077]],
};

export function formatPostalCode(code: number): string {
  return `${String(Math.floor(code / 1000)).padStart(2, "0")}-${String(code % 1000).padStart(3, "0")}`;
}

/** Residents in thousands (approximate, 2023): how many demo contacts each district gets. */
export const DISTRICT_POPULATION_K: Readonly<Record<string, number>> = {
  Mokotów: 217, "Praga-Południe": 180, Wola: 150, Ursynów: 145, Białołęka: 145, Bielany: 131, Targówek: 123,
  Bemowo: 122, Śródmieście: 100, Wawer: 82, Ochota: 82, Ursus: 63, "Praga-Północ": 60, Żoliborz: 54,
  Wilanów: 48, Włochy: 45, Wesoła: 26, Rembertów: 24,
};

/**
 * Share of houses and commercial premises among a district's customers; the rest are flats.
 * Villas and terraced houses dominate Wawer, Wesoła and Rembertów; the centre is flats and shops.
 */
export const DISTRICT_PROPERTY_MIX: Readonly<Record<string, { house: number; commercial: number }>> = {
  Bemowo: { house: 0.22, commercial: 0.12 },
  Białołęka: { house: 0.42, commercial: 0.1 },
  Bielany: { house: 0.26, commercial: 0.12 },
  Mokotów: { house: 0.2, commercial: 0.2 },
  Ochota: { house: 0.1, commercial: 0.16 },
  "Praga-Południe": { house: 0.2, commercial: 0.14 },
  "Praga-Północ": { house: 0.05, commercial: 0.2 },
  Rembertów: { house: 0.6, commercial: 0.1 },
  Śródmieście: { house: 0.02, commercial: 0.32 },
  Targówek: { house: 0.3, commercial: 0.12 },
  Ursus: { house: 0.28, commercial: 0.12 },
  Ursynów: { house: 0.22, commercial: 0.12 },
  Wawer: { house: 0.72, commercial: 0.08 },
  Wesoła: { house: 0.72, commercial: 0.08 },
  Wilanów: { house: 0.5, commercial: 0.12 },
  Włochy: { house: 0.34, commercial: 0.16 },
  Wola: { house: 0.06, commercial: 0.24 },
  Żoliborz: { house: 0.24, commercial: 0.14 },
};

export const MALE_FIRST_NAMES: readonly string[] = [
  "Adam", "Andrzej", "Antoni", "Artur", "Bartosz", "Damian", "Dariusz", "Dawid", "Filip", "Grzegorz",
  "Hubert", "Jacek", "Jakub", "Jan", "Janusz", "Jarosław", "Jerzy", "Kamil", "Karol", "Krzysztof",
  "Łukasz", "Maciej", "Marcin", "Marek", "Mariusz", "Mateusz", "Michał", "Mikołaj", "Paweł", "Piotr",
  "Przemysław", "Rafał", "Robert", "Sebastian", "Stanisław", "Szymon", "Tadeusz", "Tomasz", "Wojciech", "Zbigniew",
];

export const FEMALE_FIRST_NAMES: readonly string[] = [
  "Agata", "Agnieszka", "Aleksandra", "Alicja", "Anna", "Barbara", "Beata", "Danuta", "Dorota", "Elżbieta",
  "Emilia", "Ewa", "Gabriela", "Grażyna", "Halina", "Hanna", "Irena", "Iwona", "Izabela", "Jadwiga",
  "Joanna", "Julia", "Justyna", "Karolina", "Katarzyna", "Krystyna", "Magdalena", "Małgorzata", "Maria", "Marta",
  "Monika", "Natalia", "Paulina", "Renata", "Teresa", "Urszula", "Weronika", "Wiktoria", "Zofia", "Zuzanna",
];

/**
 * Surnames in their masculine form. Adjectival ones all end in -ski/-cki/-dzki (feminine -ska/-cka/-dzka);
 * the rest (Nowak, Mazur, Duda...) do not change with gender. See surnameFor().
 */
export const SURNAMES: readonly string[] = [
  "Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński",
  "Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur", "Kwiatkowski", "Wojciechowski",
  "Krawczyk", "Kaczmarek", "Piotrowski", "Grabowski", "Zając", "Pawłowski", "Michalski", "Król",
  "Wieczorek", "Jabłoński", "Wróbel", "Nowakowski", "Majewski", "Olszewski", "Stępień", "Malinowski",
  "Jaworski", "Adamczyk", "Dudek", "Nowicki", "Pawlak", "Górski", "Witkowski", "Walczak",
  "Sikora", "Baran", "Rutkowski", "Michalak", "Szewczyk", "Ostrowski", "Tomaszewski", "Pietrzak",
  "Zalewski", "Wróblewski", "Marciniak", "Jasiński", "Zawadzki", "Bąk", "Jakubowski", "Sadowski",
  "Duda", "Włodarczyk", "Wilk", "Chmielewski", "Borkowski", "Sokołowski", "Szczepański", "Sawicki",
  "Lis", "Kucharski", "Kalinowski", "Wysocki", "Mazurek", "Kubiak", "Kołodziej", "Czarnecki",
  "Kaczmarczyk", "Sobczak", "Głowacki", "Zakrzewski", "Krajewski", "Urbański", "Laskowski", "Gajewski",
  "Sienkiewicz", "Gołębiowski", "Brzeziński", "Orłowski",
];

/** Kowalski -> Kowalska, Czarnecki -> Czarnecka, Zawadzki -> Zawadzka; Nowak stays Nowak. */
export function surnameFor(surname: string, female: boolean): string {
  return female ? surname.replace(/(sk|ck|dzk)i$/, "$1a") : surname;
}

/** Commercial customers with a fixed name. */
export const FIRM_NAMES: readonly string[] = [
  "Restauracja Pod Lipami", "Restauracja Stary Młyn", "Bistro Smaczne", "Pizzeria Napoli", "Kawiarnia Ziarno",
  "Cukiernia Wisienka", "Piekarnia Złoty Kłos", "Apteka Zdrowie", "Apteka Pod Słońcem", "Apteka Rodzinna",
  "Hotel Wisła", "Hotel Mazowsze", "Hostel Stara Praga", "Pensjonat Leśny Zakątek",
  "Przychodnia Stomatologiczna Uśmiech", "Centrum Medyczne Vita", "Gabinet Weterynaryjny Azor",
  "Przedszkole Niepubliczne Słoneczko", "Szkoła Językowa Lingua", "Sklep Spożywczy Groszek",
  "Salon Fryzjerski Bella", "Studio Urody Perła", "Kwiaciarnia Storczyk", "Klub Fitness Energia",
  "Drukarnia Ekspres", "Księgarnia Pod Globusem", "Salon Optyczny Soczewka", "Delikatesy Mazurskie",
  "Market Budowlany Majster", "Biuro Podróży Horyzont", "Kancelaria Podatkowa Fiskus sp. z o.o.",
  "Salon Meblowy Dąb", "Galeria Sztuki Atelier",
];

/** Commercial customers named after an owner; "{surname}" is filled with a (masculine) surname. */
export const FIRM_TEMPLATES: readonly string[] = [
  "Biuro Rachunkowe {surname} sp. z o.o.", "Kancelaria Adwokacka {surname}", "Kancelaria Notarialna {surname} i Wspólnicy",
  "Auto Serwis {surname}", "Zakład Mechaniki Pojazdowej {surname} s.c.", "{surname} Nieruchomości sp. z o.o.",
  "Pracownia Architektoniczna {surname}", "Hurtownia Elektryczna {surname} sp. j.", "Gabinet Stomatologiczny {surname}",
];

/** Notes a dispatcher would keep on a customer card. "{n}" is replaced with a small number. */
export const NOTES_ANY: readonly string[] = [
  "Proszę dzwonić 30 min przed przyjazdem.",
  "Parking tylko na ulicy, strefa płatnego parkowania.",
  "Klient preferuje wizyty przed południem.",
  "Umowa serwisowa: przegląd co 12 miesięcy.",
  "Gwarancja producenta do 2027 r., zachować protokoły z przeglądów.",
  "Płatność przelewem, faktura e-mailem.",
];
export const NOTES_APARTMENT: readonly string[] = [
  "Kod do domofonu {n}#",
  "Kod do domofonu {n}, klatka B.",
  "Klucz do węzła cieplnego u administratora.",
  "Kocioł w kuchni, w zabudowie meblowej.",
  "Jednostka zewnętrzna na balkonie, {n}. piętro.",
  "Brak windy, {n}. piętro.",
];
export const NOTES_HOUSE: readonly string[] = [
  "Pies na posesji.",
  "Kotłownia w piwnicy, wejście od ogrodu.",
  "Brama na pilota, dzwonić pod numer {n} na tablicy.",
  "Pompa ciepła za garażem.",
  "Kocioł na poddaszu, wejście po schodach strychowych.",
];
export const NOTES_COMMERCIAL: readonly string[] = [
  "Kotłownia w piwnicy, klucz u administratora.",
  "Wejście od zaplecza, dostawy do 10:00.",
  "Jednostki zewnętrzne na dachu, wyjście przez klapę na {n}. piętrze.",
  "Prace tylko poza godzinami otwarcia lokalu.",
  "Kontakt techniczny: zarządca budynku.",
];

// ------------------------------------------------------------------------------------------------
// Job templates. "{boiler}", "{ac}", "{hp}" and "{kw}" are filled with a brand or power at random.
// Ordinary templates are worded so that no priority rule fires on them (tested); the emergency ones
// are meant to fire: safety, no heat in the heating season, water leak.

export const BOILER_BRANDS: readonly string[] = [
  "Vaillant", "Viessmann", "Junkers Bosch", "Buderus", "De Dietrich", "Immergas", "Saunier Duval", "Termet",
  "Beretta", "Ariston",
];
export const AC_BRANDS: readonly string[] = [
  "Daikin", "Mitsubishi Electric", "LG", "Samsung", "Fujitsu", "Gree", "Toshiba", "Panasonic", "Haier",
];
export const HEAT_PUMP_MODELS: readonly string[] = [
  "Panasonic Aquarea", "Viessmann Vitocal", "Daikin Altherma", "Samsung EHS Mono", "Vaillant aroTHERM",
];
export const AC_POWERS: readonly string[] = ["2,5 kW", "3,5 kW", "5,0 kW", "7,1 kW"];

/** When a template is in demand: heating (October-March), cooling (May-August) or all year. */
export type Season = "heating" | "cooling" | "any";

export interface JobTemplate {
  type: JobType;
  title: string;
  description: string;
  /** Skills beyond the job type itself (gas certificate, F-gas certificate). */
  extraSkills?: readonly Skill[];
  /** Property types the job makes sense for; all when absent. */
  props?: readonly PropertyType[];
  season?: Season;
  /** Planned minutes [min, max]; defaults to the range of the job type. */
  minutes?: readonly [number, number];
  /** A call that should trip a priority rule (safety, no heat, water leak). */
  emergency?: boolean;
}

const HOME: readonly PropertyType[] = ["apartment", "house"];

export const JOB_TEMPLATES: readonly JobTemplate[] = [
  // --- installation
  {
    type: "installation", title: "Montaż klimatyzacji split {ac} {kw}", extraSkills: ["fgas"], season: "cooling",
    description: "Montaż jednostki ściennej i zewnętrznej, trasa chłodnicza do 5 m, odprowadzenie skroplin grawitacyjnie. Próba ciśnieniowa azotem, próżnia, uruchomienie i szkolenie klienta.",
  },
  {
    type: "installation", title: "Montaż klimatyzacji multi-split {ac} (2 jednostki wewnętrzne)", extraSkills: ["fgas"],
    season: "cooling", props: HOME, minutes: [300, 480],
    description: "Sypialnia i salon, jedna jednostka zewnętrzna na elewacji. Trasy w listwach maskujących, zasilanie z osobnego obwodu.",
  },
  {
    type: "installation", title: "Montaż klimatyzacji kasetonowej {ac} w lokalu", extraSkills: ["fgas"], season: "cooling",
    props: ["commercial"], minutes: [300, 480],
    description: "Jednostka kasetonowa w suficie podwieszanym sali, pompka skroplin, sterownik przewodowy przy wejściu na zaplecze.",
  },
  {
    type: "installation", title: "Wymiana kotła gazowego na kondensacyjny {boiler}", extraSkills: ["gas"], props: HOME,
    minutes: [300, 480],
    description: "Demontaż starego kotła atmosferycznego, montaż kotła kondensacyjnego, wkład kominowy w systemie powietrzno-spalinowym, neutralizator kondensatu, uruchomienie.",
  },
  {
    type: "installation", title: "Montaż pompy ciepła powietrze-woda {hp}", props: ["house"], minutes: [360, 480],
    description: "Jednostka zewnętrzna na fundamencie za domem, moduł hydrauliczny w kotłowni, zasobnik c.w.u. 200 l. Konfiguracja krzywej grzewczej.",
  },
  {
    type: "installation", title: "Montaż rekuperatora w domu jednorodzinnym", props: ["house"], minutes: [360, 480],
    description: "Centrala wentylacyjna na poddaszu, rozprowadzenie kanałami elastycznymi, czerpnia i wyrzutnia na ścianie szczytowej.",
  },
  {
    type: "installation", title: "Montaż sterownika pokojowego i czujnika zewnętrznego", minutes: [180, 240],
    description: "Sterownik internetowy z aplikacją, czujnik temperatury zewnętrznej na północnej ścianie, konfiguracja harmonogramu.",
  },
  {
    type: "installation", title: "Wymiana grzejników i zaworów termostatycznych", props: HOME, minutes: [240, 420],
    description: "Wymiana 4 grzejników stalowych płytowych wraz z zaworami termostatycznymi i głowicami, napełnienie i odpowietrzenie instalacji.",
  },
  {
    type: "installation", title: "Montaż zasobnika c.w.u. 120 l", extraSkills: ["gas"], minutes: [180, 300],
    description: "Zasobnik wiszący obok kotła, podłączenie do kotła jednofunkcyjnego, naczynie wzbiorcze do c.w.u.",
  },
  {
    type: "installation", title: "Montaż kurtyny powietrznej nad wejściem", props: ["commercial"], season: "heating",
    minutes: [180, 300],
    description: "Kurtyna wodna nad drzwiami wejściowymi, podłączenie do instalacji grzewczej lokalu, sterownik z czujnikiem otwarcia drzwi.",
  },

  // --- maintenance
  {
    type: "maintenance", title: "Przegląd kotła gazowego {boiler}", extraSkills: ["gas"], season: "heating",
    description: "Coroczny przegląd: czyszczenie wymiennika i palnika, kontrola elektrody zapłonowej, analiza spalin, sprawdzenie naczynia wzbiorczego i ciśnienia w instalacji.",
  },
  {
    type: "maintenance", title: "Przegląd gwarancyjny kotła kondensacyjnego {boiler}", extraSkills: ["gas"],
    description: "Przegląd wymagany do utrzymania gwarancji: syfon kondensatu, wymiennik, analiza spalin, wpis do książki serwisowej.",
  },
  {
    type: "maintenance", title: "Serwis klimatyzacji {ac}: czyszczenie i odgrzybianie", extraSkills: ["fgas"], season: "cooling",
    description: "Czyszczenie filtrów i wymiennika jednostki wewnętrznej, odgrzybianie, kontrola ciśnień czynnika R32, sprawdzenie odpływu skroplin.",
  },
  {
    type: "maintenance", title: "Serwis klimatyzacji przed sezonem (2 jednostki)", extraSkills: ["fgas"], season: "cooling",
    description: "Przegląd dwóch jednostek ściennych {ac}: filtry, wymienniki, wentylatory, pomiar temperatury nawiewu.",
  },
  {
    type: "maintenance", title: "Przegląd pompy ciepła {hp}", props: ["house"],
    description: "Kontrola parametrów pracy, czyszczenie parownika jednostki zewnętrznej, filtr siatkowy, aktualizacja oprogramowania sterownika.",
  },
  {
    type: "maintenance", title: "Przegląd rekuperatora i wymiana filtrów", props: ["house", "commercial"],
    description: "Wymiana filtrów G4/F7, czyszczenie wymiennika krzyżowego, kontrola wentylatorów i odpływu skroplin.",
  },
  {
    type: "maintenance", title: "Płukanie instalacji c.o. i odpowietrzenie grzejników", props: HOME, season: "heating",
    description: "Płukanie instalacji środkiem chemicznym, odpowietrzenie grzejników, uzupełnienie wody i ustawienie ciśnienia 1,5 bar.",
  },
  {
    type: "maintenance", title: "Serwis central wentylacyjnych w lokalu", props: ["commercial"],
    description: "Wymiana filtrów, kontrola pasków klinowych i łożysk wentylatorów, czyszczenie nagrzewnicy, pomiar wydajności.",
  },
  {
    type: "maintenance", title: "Konserwacja klimatyzacji w serwerowni", extraSkills: ["fgas"], props: ["commercial"],
    description: "Kwartalna konserwacja dwóch klimatyzatorów precyzyjnych, kontrola przełączania pracy naprzemiennej.",
  },

  // --- repair (ordinary)
  {
    type: "repair", title: "Klimatyzator {ac} nie chłodzi", extraSkills: ["fgas"], season: "cooling",
    description: "Jednostka pracuje, ale nawiew jest ciepły. Podejrzenie ubytku czynnika: pomiar ciśnień, lokalizacja nieszczelności detektorem, uzupełnienie czynnika.",
  },
  {
    type: "repair", title: "Głośna praca jednostki zewnętrznej klimatyzacji", extraSkills: ["fgas"], season: "cooling",
    description: "Stuki i wibracje przy starcie sprężarki. Do sprawdzenia łożyska wentylatora i mocowanie na wspornikach.",
  },
  {
    type: "repair", title: "Kocioł {boiler} pokazuje błąd F.28", extraSkills: ["gas"],
    description: "Przy poborze ciepłej wody kocioł kilka razy próbuje zapłonu i blokuje się z kodem F.28. Do sprawdzenia elektroda zapłonowa i ciśnienie gazu.",
  },
  {
    type: "repair", title: "Wymiana pompy obiegowej",
    description: "Głośna praca pompy obiegowej przy kotle {boiler}, pompa do wymiany na elektroniczną. Spuszczenie wody z obiegu kotła, napełnienie, odpowietrzenie.",
  },
  {
    type: "repair", title: "Spadek ciśnienia w instalacji c.o.", season: "heating",
    description: "Ciśnienie spada z 1,5 do 0,6 bar w ciągu tygodnia. Do sprawdzenia naczynie wzbiorcze (ciśnienie wstępne) i zawór bezpieczeństwa.",
  },
  {
    type: "repair", title: "Wymiana zaworu trójdrogowego w kotle {boiler}", extraSkills: ["gas"],
    description: "Ogrzewanie pracuje poprawnie, ale ciepła woda użytkowa jest letnia. Silnik zaworu trójdrogowego do wymiany.",
  },
  {
    type: "repair", title: "Grzejnik w salonie słabo grzeje", props: HOME, season: "heating",
    description: "Jeden grzejnik ciepły tylko u góry, pozostałe w porządku. Odpowietrzenie, regulacja wstępna zaworu, kontrola głowicy termostatycznej.",
  },
  {
    type: "repair", title: "Naprawa sterownika pogodowego", season: "heating",
    description: "Sterownik pokazuje błędną temperaturę zewnętrzną, kocioł pracuje na zbyt wysokiej temperaturze zasilania. Wymiana czujnika zewnętrznego.",
  },
  {
    type: "repair", title: "Rekuperator: hałas wentylatora", props: ["house"],
    description: "Narastający szum w centrali wentylacyjnej, słyszalny w sypialni. Do sprawdzenia łożyska wentylatora wywiewnego.",
  },
  {
    type: "repair", title: "Pompa ciepła {hp} zgłasza błąd przepływu", props: ["house"], season: "heating",
    description: "Urządzenie zatrzymuje sprężarkę z błędem niskiego przepływu. Do sprawdzenia filtr siatkowy i czujnik przepływu.",
  },
  {
    type: "repair", title: "Klimatyzacja w lokalu wyłącza się z kodem E5", extraSkills: ["fgas"], props: ["commercial"],
    season: "cooling",
    description: "Jednostka kasetonowa {ac} zatrzymuje się po kilkunastu minutach pracy. Podejrzenie przegrzania sprężarki lub błędu komunikacji.",
  },
  {
    type: "repair", title: "Wymiana czujnika NTC w kotle {boiler}", extraSkills: ["gas"],
    description: "Nieprawidłowy odczyt temperatury zasilania, kocioł taktuje. Wymiana czujnika i sprawdzenie okablowania.",
  },

  // --- repair (emergency wording: must trip a priority rule)
  {
    type: "repair", title: "Kocioł nie działa, brak ogrzewania", extraSkills: ["gas"], season: "heating", emergency: true,
    description: "Kocioł {boiler} nie działa od rana, brak ogrzewania i ciepłej wody. W mieszkaniu 16°C, w domu małe dziecko.",
  },
  {
    type: "repair", title: "Zimne kaloryfery w całym domu", extraSkills: ["gas"], season: "heating", props: ["house"], emergency: true,
    description: "Od wczoraj zimne kaloryfery, piec nie działa mimo resetu. Na wyświetlaczu miga kod błędu.",
  },
  {
    type: "repair", title: "Wyciek wody spod kotła", extraSkills: ["gas"], emergency: true,
    description: "Spod kotła {boiler} cieknie woda, podstawiona miska. Ciśnienie w instalacji spada.",
  },
  {
    type: "repair", title: "Zapach gazu w kotłowni", extraSkills: ["gas"], emergency: true,
    description: "Klient czuje zapach gazu przy kotle, zakręcił zawór główny i wywietrzył pomieszczenie. Pogotowie gazowe powiadomione.",
  },
  {
    type: "repair", title: "Alarm czujnika czadu przy pracy kotła", extraSkills: ["gas"], season: "heating", emergency: true,
    description: "Czujnik czadu w łazience włącza alarm kilka minut po uruchomieniu kotła {boiler}. Lokatorzy wywietrzyli mieszkanie.",
  },
  {
    type: "repair", title: "Woda kapie z jednostki wewnętrznej klimatyzacji", extraSkills: ["fgas"], season: "cooling", emergency: true,
    description: "Z jednostki {ac} nad biurkiem kapie woda na podłogę. Prawdopodobnie zatkany odpływ skroplin.",
  },

  // --- inspection
  {
    type: "inspection", title: "Roczna kontrola instalacji gazowej", extraSkills: ["gas"],
    description: "Okresowa kontrola stanu technicznego instalacji gazowej i urządzeń gazowych (art. 62 Prawa budowlanego), protokół dla zarządcy.",
  },
  {
    type: "inspection", title: "Kontrola szczelności klimatyzacji (F-gazy)", extraSkills: ["fgas"],
    description: "Okresowa kontrola szczelności układu zgodnie z ustawą o F-gazach, wpis do Centralnego Rejestru Operatorów.",
  },
  {
    type: "inspection", title: "Przegląd przewodów spalinowych i wentylacyjnych",
    description: "Sprawdzenie drożności przewodów, pomiar ciągu kominowego, kontrola kratek wentylacyjnych w kuchni i łazience.",
  },
  {
    type: "inspection", title: "Pomiar sprawności i emisji spalin kotła {boiler}", extraSkills: ["gas"], season: "heating",
    description: "Analiza spalin analizatorem, pomiar sprawności, ustawienie parametrów palnika, protokół pomiarowy.",
  },
  {
    type: "inspection", title: "Odbiór techniczny instalacji c.o. po remoncie", props: HOME,
    description: "Próba szczelności instalacji grzewczej po wymianie rur, protokół odbioru dla klienta.",
  },
  {
    type: "inspection", title: "Wizja lokalna przed montażem klimatyzacji", season: "cooling",
    description: "Ocena trasy chłodniczej, miejsca na jednostkę zewnętrzną i zasilania. Przygotowanie wyceny montażu {ac} {kw}.",
  },
  {
    type: "inspection", title: "Audyt instalacji HVAC w lokalu usługowym", props: ["commercial"],
    description: "Inwentaryzacja urządzeń grzewczych, klimatyzacyjnych i wentylacyjnych, zalecenia serwisowe i plan przeglądów.",
  },
  {
    type: "inspection", title: "Inspekcja pompy ciepła przed sezonem grzewczym", props: ["house"], season: "heating",
    description: "Kontrola nastaw krzywej grzewczej, test grzałki wspomagającej, sprawdzenie odpływu kondensatu z jednostki {hp}.",
  },
];
