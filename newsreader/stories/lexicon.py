"""A small cross-lingual lexicon of news words, written for this project (session 9): the
English, German and French words reports of one event use for the same thing, so that the
story matcher (see `words.story_words`) counts "Streik", "grève" and "strike" as one term.

Each line of `WORDS` is one concept (a line that starts with spaces goes on with the one
before): English words, then German, then French, the groups
separated by "|". Every word becomes its language's stem (folded, as `words.stems` makes
them), and every stem of the line stands for the first English word's stem. A line's English
words after the first are near-synonyms that reports of one event use in turn ("walkout" for
a strike). `WORDS_ES_IT` gives the same lines' Spanish and Italian words (session 10).
`NAMES` are places and peoples whose names differ between the languages; every
spelling of a line maps to its first, whatever the article's language.

Only everyday news words: the lines were written from the kinds of events news reports
(disasters, crime, courts, politics, business, sport, science, culture), not from the
labelled sets' texts.
"""

from __future__ import annotations

WORDS = """
strike walkout stoppage | streik streiks streiken streikten ausstand arbeitsniederlegung
    arbeitskampf | grève grèves grévistes
union unions | gewerkschaft gewerkschaften | syndicat syndicats
worker workers employee employees staff | arbeiter arbeitnehmer beschäftigte mitarbeiter angestellte
    | salariés employés ouvriers travailleurs
wage wages pay salary salaries | lohn löhne gehalt gehälter tariflohn | salaire salaires
job jobs | arbeitsplätze arbeitsplatz jobs | emploi emplois postes
cut cuts | streichen streicht kürzung kürzungen abbau | suppression suppressions supprimer
government governments cabinet | regierung regierungen kabinett | gouvernement gouvernements
minister ministers | minister ministerin | ministre ministres
president | präsident präsidentin | président présidente
prime | premierminister premierministerin |
chancellor | kanzler kanzlerin bundeskanzler | chancelier chancelière
parliament parliamentary lawmakers | parlament bundestag abgeordnete | parlement députés
election elections vote voters ballot poll | wahl wahlen stimme stimmen wähler abstimmung | élection
    élections vote scrutin électeurs
runoff | stichwahl |
mayor | bürgermeister bürgermeisterin oberbürgermeister | maire
party parties | partei parteien | parti partis
opposition | opposition | opposition
candidate | kandidat kandidatin | candidat candidate
win wins won winner victory | gewinnt gewann gewinnen sieg siegt siegte sieger siegerin | gagne
    gagné remporte remporté victoire vainqueur
lose loses lost defeat | verliert verlor niederlage | perd perdu défaite
law laws bill | gesetz gesetze gesetzentwurf | loi lois projet
court courts judge judges ruling tribunal | gericht gerichte richter richterin urteil | tribunal
    tribunaux juge juges jugement
appeal appeals | berufung revision | appel
trial | prozess | procès
police | polizei polizisten | police policiers gendarmes
arrest arrested | festgenommen festnahme verhaftet | arrêté arrêtés interpellé
suspect suspects | verdächtige verdächtiger tatverdächtige | suspect suspects
murder | mord tötung | meurtre assassinat
theft stolen steal thieves thief burglary heist robbery | diebstahl gestohlen stehlen diebe dieb
    einbruch raub | vol volé volée voleurs cambriolage braquage
fraud | betrug | fraude escroquerie
shooting gunman gunfire | schüsse schießerei erschossen | fusillade tirs abattu
stabbing stabbed knife | messerangriff messerstecherei erstochen | poignardé couteau
kidnapping kidnapped abducted hostage | entführung entführt geisel | enlèvement enlevé otage
prison jail | gefängnis haft | prison
fine fined | geldstrafe bußgeld | amende
fire blaze flames | brand feuer flammen | incendie feu flammes
firefighters | feuerwehr | pompiers
explosion blast exploded | explosion explodierte | explosion
bomb | bombe blindgänger fliegerbombe | bombe obus
evacuate evacuated evacuation | evakuiert evakuierung räumen geräumt | évacué évacués évacuation
rescue rescued rescuers | gerettet rettung retter | secours sauvé sauvés secouristes
dead death deaths died killed toll | tot tote tod starb getötet | morts mort décès tué tués
injured injuries wounded hurt | verletzt verletzte verletzungen | blessé blessés blessée blessées
    blessures
victim victims | opfer | victime victimes
earthquake quake tremor | erdbeben beben | séisme tremblement
flood floods flooding | hochwasser überschwemmung flut | inondation inondations crue
storm storms | sturm unwetter | tempête orage
hail hailstorm | hagel hagelsturm | grêle grêlons
rain rainfall | regen niederschlag | pluie pluies
landslide mudslide | erdrutsch mure | glissement éboulement
snow avalanche | schnee lawine | neige avalanche
heat heatwave | hitze hitzewelle | chaleur canicule
drought | dürre trockenheit | sécheresse
wildfire | waldbrand | feux
volcano eruption | vulkan ausbruch | volcan éruption
accident crash collision | unfall unglück zusammenstoß | accident collision
collapse collapsed | einsturz eingestürzt eingestürzte | effondrement effondré effondrée
capsize capsized sank sinking | gekentert kenterte gesunken | chaviré naufrage coulé
spill leak leaked leaking | leck ausgelaufen | fuite
train trains rail railway | zug züge bahn eisenbahn | train trains ferroviaire
derail derailed derailment | entgleist entgleisung | déraillement déraillé
track tracks | gleis gleise | voie voies
ferry | fähre | ferry traversier
ship ships vessel vessels boat | schiff schiffe boot | navire navires bateau
port harbour harbor | hafen häfen | port
passengers passenger travellers | passagiere fahrgäste reisende | passagers voyageurs
crew | besatzung crew | équipage
flight flights | flug flüge |
plane aircraft jet | flugzeug | avion avions appareil
airport | flughafen | aéroport
airline carrier | fluggesellschaft airline | compagnie
pilot pilots | pilot piloten | pilote pilotes
car cars vehicle vehicles | auto autos fahrzeug fahrzeuge | voiture voitures véhicule véhicules
road roads motorway highway | straße straßen autobahn | route routes autoroute
bridge | brücke | pont
tunnel | tunnel | tunnel
bus buses | bus busse | bus autobus
tram trams | straßenbahn tram | tramway tram
traffic | verkehr | circulation trafic
closed closure shut | geschlossen gesperrt sperrung schließung | fermé fermée fermeture
open opened opening | eröffnet eröffnung öffnet | ouvert ouverture inauguré
company companies firm group | unternehmen firma konzern gruppe | entreprise société groupe
deal takeover acquisition merger buy buys bought | übernahme übernimmt kauf kauft fusion | rachat
    rachète acquisition fusion
sale sell sells sold | verkauf verkauft verkaufen | vente vend vendu
shares stock stocks shareholders | aktie aktien aktionäre | action actions actionnaires
profit profits earnings | gewinn gewinne | bénéfice bénéfices
loss losses | verlust verluste | perte pertes
revenue turnover | umsatz umsätze erlöse | chiffre
price prices | preis preise | prix
inflation | inflation teuerung | inflation
rate rates interest | zins zinsen leitzins | taux
bank banks | bank banken | banque banques
market markets | markt märkte | marché marchés
economy economic | wirtschaft konjunktur | économie
tax taxes | steuer steuern | impôt impôts taxe
budget | haushalt etat | budget
debt | schulden | dette
investment investors invest | investition investoren investiert | investissement investisseurs
factory plant plants | fabrik | usine usines
production output | produktion herstellung | production
chief boss executive ceo | chef chefin vorstandschef geschäftsführer | patron patronne dirigeant
    directeur
resign resigns resigned resignation quit quits | rücktritt zurückgetreten | démission démissionne
customer customers clients | kunden kundinnen | clients
outage failure disruption | ausfall störung panne | panne
recall recalls recalled | rückruf rückrufaktion zurückgerufen | rappel rappelle rappelés
breach | datenleck datenpanne | piratage
bankruptcy bankrupt insolvency insolvent | insolvenz pleite konkurs | faillite
layoffs redundancies | entlassungen entlassen stellenabbau | licenciements licenciés
hospital hospitals | krankenhaus klinik kliniken | hôpital hôpitaux
doctor doctors | arzt ärzte ärztin | médecin médecins
patient patients | patient patienten | patient patients
disease illness | krankheit | maladie
outbreak epidemic | ausbruch epidemie | épidémie
virus | virus | virus
vaccine vaccination vaccinated jab | impfstoff impfung geimpft | vaccin vaccination vacciné
measles | masern | rougeole
drug drugs medicine | medikament medikamente arzneimittel | médicament médicaments
school schools pupils | schule schulen schüler | école écoles élèves
university | universität hochschule | université
student students | studenten studierende | étudiants
child children kids | kind kinder | enfant enfants
woman women | frau frauen | femme femmes
man men | mann männer | homme hommes
people residents | menschen leute einwohner bewohner | personnes habitants gens
family families | familie familien | famille familles
city town | stadt städte | ville
village | dorf | village
region regional | region | région
capital | hauptstadt | capitale
border | grenze | frontière
war | krieg | guerre
army military soldiers troops | armee militär soldaten truppen | armée militaire soldats troupes
attack attacks | angriff anschlag | attaque attentat
peace ceasefire | frieden waffenruhe | paix cessez
protest protests demonstrators | protest proteste demonstranten demonstration | manifestation
    manifestants
water | wasser | eau
drinking | trinkwasser | potable
power electricity | strom | électricité
energy | energie | énergie
gas | gas | gaz
oil | öl | pétrole
climate | klima | climat
environment environmental | umwelt | environnement
fish | fisch fische | poisson poissons
salmon | lachs lachse | saumon saumons
farm farmers | bauernhof farm bauern landwirte | ferme agriculteurs
sea ocean | meer ozean | mer océan
river | fluss | fleuve rivière
coast | küste | côte
coastguard | küstenwache |
lake | see | lac
mountain mountains alps | berg berge alpen | montagne montagnes alpes
island | insel | île
beach | strand | plage
stadium | stadion | stade
match game | spiel | match
team | mannschaft team | équipe
club | verein klub | club
coach | trainer | entraîneur
player players | spieler | joueur joueurs
goal goals | tor tore | but buts
championship title champion | meisterschaft titel meister meisterin | championnat titre champion
    championne
final | finale endspiel | finale
race | rennen | course
stage | etappe | étape
rider cyclist | radprofi radfahrer | coureur cycliste
driver drivers | fahrer fahrerin | chauffeur chauffeurs conducteur conducteurs
lead leader | führung spitzenreiter | tête leader
record | rekord | record
world | welt | monde
medal | medaille | médaille
film movie | film | film
director | regisseur regisseurin | réalisateur réalisatrice
festival | festival | festival
prize award | preis auszeichnung | prix
actor actress | schauspieler schauspielerin | acteur actrice
music | musik | musique
concert | konzert | concert
museum | museum | musée
painting | gemälde bild | tableau peinture
artist | künstler künstlerin | artiste
book | buch | livre
scientist scientists researchers | wissenschaftler forscher forscherin | scientifiques chercheurs
study | studie | étude
discover discovered discovery | entdeckt entdeckung gefunden fund | découvert découverte
space | weltraum raumfahrt | espace
comet | komet | comète
telescope | teleskop | télescope
astronomer astronomers | astronom astronomin | astronome
planet | planet | planète
satellite | satellit | satellite
launch launched | start gestartet | lancement lancé
data | daten | données
internet online | internet | internet
app apps | app | application
software | software | logiciel
cyberattack hackers hack | cyberangriff hacker | cyberattaque pirates
million millions mln | million millionen mio | million millions
billion billions bn | milliarde milliarden mrd | milliard milliards
thousand thousands | tausend tausende zehntausende | millier milliers
percent cent | prozent | cent
euro euros | euro | euro euros
dollar dollars | dollar | dollar dollars
year years | jahr jahre | an ans année années
day days | tag tage | jour jours
week weeks | woche wochen | semaine semaines
month months | monat monate | mois
hour hours | stunde stunden | heure heures
minute minutes | minute minuten | minute minutes
second seconds | sekunde sekunden | seconde secondes
monday | montag | lundi
tuesday | dienstag | mardi
wednesday | mittwoch | mercredi
thursday | donnerstag | jeudi
friday | freitag | vendredi
saturday | samstag | samedi
sunday | sonntag | dimanche
january | januar | janvier
february | februar | février
march | märz | mars
april | april | avril
may | mai | mai
june | juni | juin
july | juli | juillet
august | august | août
september | september | septembre
october | oktober | octobre
november | november | novembre
december | dezember | décembre
morning | morgen vormittag | matin
evening night | abend nacht | soir nuit
first | erste ersten erster | premier première
warn warning warned | warnt warnung gewarnt | avertit alerte averti
""".strip()

NAMES = """
cologne köln
munich münchen munique múnich
vienna wien vienne viena
prague prag praha praga
warsaw warschau varsovie varsovia varsavia
brussels brüssel bruxelles bruselas
lisbon lissabon lisbonne lisboa lisbona
rome rom roma
venice venedig venise venecia venezia
milan mailand milán milano
naples neapel nápoles napoli
florence florenz florencia firenze
turin torino turín
genoa genua gênes génova genova
geneva genf genève ginebra ginevra
zurich zürich zúrich zurigo
basel bâle basilea
copenhagen kopenhagen copenhague copenaghen
athens athen athènes atenas atene
moscow moskau moscou moscú
belgrade belgrad belgrado
bucharest bukarest bucarest
ghent gent gand gante
antwerp antwerpen anvers amberes anversa
bruges brügge brugge
hague haag haye
london londres londra
gdansk danzig
krakow krakau cracovie cracovia
nuremberg nürnberg nuremberg núremberg norimberga
hanover hannover
strasbourg straßburg estrasburgo strasburgo
seville sevilla séville siviglia
dunkirk dünkirchen dunkerque
lyon lyons
marseille marseilles marsella marsiglia
germany german germans deutschland deutsche deutschen deutscher allemagne allemand allemande
    allemands alemania alemán alemana alemanes germania tedesco tedesca tedeschi
france french frankreich französisch französische französischen française français francia francés
    francesa francese francesi
austria austrian österreich österreichisch österreichische autriche autrichien autrichienne
    austriaco austriaca austríaco austríaca
switzerland swiss schweiz schweizer suisse suiza suizo svizzera svizzero
italy italian italien italienisch italienische italie italienne italia italiano italiana
spain spanish spanier spanien spanisch spanische espagne espagnol espagnole españa español española
    spagna spagnolo spagnola
portugal portuguese portugiesisch portugais portugaise portugués portuguesa portogallo portoghese
netherlands dutch niederlande niederländisch niederländische holland néerlandais néerlandaise
    holanda holandés holandesa olanda olandese
belgium belgian belgien belgisch belgische belgique belge bélgica belga belgio
poland polish polen polnisch polnische pologne polonais polonaise polonia polaco polaca polacco
    polacca
czech tschechien tschechisch tschechische tchèque tchéquie checo checa chequia ceco ceca
hungary hungarian ungarn ungarisch ungarische hongrie hongrois hongroise hungría húngaro húngara
    ungheria ungherese
romania romanian rumänien rumänisch rumänische roumanie roumain roumaine rumanía rumano rumana
    rumeno rumena
croatia croatian kroatien kroatisch kroatische croatie croate croacia croata croazia
slovenia slovenian slowenien slowenisch slovénie slovène eslovenia esloveno eslovena sloveno
    slovena
greece greek griechenland griechisch griechische grèce grec grecque grecia griego griega greco
    greca
norway norwegian norwegen norwegisch norwegische norvège norvégien norvégienne noruega noruego
    norvegia norvegese
sweden swedish schweden schwedisch schwedische suède suédois suédoise suecia sueco sueca svezia
    svedese
denmark danish dane dänemark dänisch dänische danemark danois danoise dinamarca danés danesa
    danimarca danese
finland finnish finnland finnisch finnische finlande finlandais finlandaise finlandia finlandés
    finlandesa finlandese
estonia estonian estland estnisch estnische estonie estonien estonienne estonio estone
latvia latvian lettland lettisch lettische lettonie letton lettonne letonia letón lettonia lettone
lithuania lithuanian litauen litauisch litauische lituanie lituanien lituanienne lituania lituano
    lituana
ireland irish irland irisch irische irlande irlandais irlandaise irlanda irlandés irlandesa
    irlandese
britain british uk großbritannien britisch britische britannique británico británica britannico
    britannica
europe european europa europäisch europäische europe européen européenne europeo europea
russia russian russland russisch russische russie russe rusia ruso rusa russo
ukraine ukrainian ukrainisch ukrainische ukrainien ukrainienne ucrania ucraniano ucraniana ucraina
    ucraino
turkey turkish türkei türkisch türkische turquie turc turque turquía turco turca turchia
china chinese chinesisch chinesische chine chinois chinoise chino cina cinese
japan japanese japanisch japanische japon japonais japonaise japón japonés japonesa giappone
    giapponese
america american usa amerikanisch amerikanische amérique américain américaine estadounidense
    americano americana
scandinavia scandinavian skandinavien skandinavisch scandinavie scandinave escandinavia escandinavo
baltic ostsee baltique báltico báltica baltico
mediterranean mittelmeer méditerranée mediterráneo mediterraneo
atlantic atlantik atlantique atlántico atlantico
""".strip()

WORDS_ES_IT = """
strike | huelga huelgas | sciopero scioperi scioperano
union | sindicato sindicatos | sindacato sindacati
worker | trabajadores empleados plantilla | lavoratori dipendenti operai
wage | salario salarios sueldo sueldos | salario salari stipendio stipendi
job | empleo empleos | posti occupazione
government | gobierno gobiernos | governo governi
minister | ministro ministra | ministro ministra
president | presidente presidenta | presidente presidentessa
chancellor | canciller | cancelliere
parliament | parlamento congreso diputados | parlamento deputati
election | elecciones votación votantes | elezioni votazione elettori
runoff | | ballottaggio
mayor | alcalde alcaldesa | sindaco
party | partido partidos | partito partiti
opposition | oposición | opposizione
candidate | candidato candidata | candidato candidata
win | gana ganó victoria ganador ganadora | vince vinto vittoria vincitore vincitrice
lose | pierde perdió derrota | perde perso sconfitta
law | ley leyes | legge leggi
court | tribunal tribunales juez jueza jueces sentencia | tribunale tribunali giudice giudici
    sentenza
appeal | apelación recurso | ricorso appello
trial | juicio | processo
police | policía policías | polizia carabinieri poliziotti
arrest | detenido detenidos detención arrestado | arrestato arrestati arresto fermato
suspect | sospechoso sospechosos | sospettato sospettati
murder | asesinato homicidio | omicidio
theft | robo robado robada ladrones | furto rubato rubata ladri rapina
fraud | fraude estafa | frode truffa
shooting | tiroteo disparos | sparatoria spari
stabbing | apuñalado acuchillado | accoltellato accoltellamento
kidnapping | secuestro secuestrado rehén | rapimento rapito ostaggio sequestro
prison | cárcel prisión | carcere prigione
fine | multa multado | multa multata sanzione
fire | incendio fuego llamas | incendio fuoco fiamme rogo
firefighters | bomberos | pompieri vigili
explosion | explosión | esplosione
bomb | bomba | bomba ordigno
evacuate | evacuación evacuados evacuadas desalojo desalojados | evacuazione evacuati sfollati
rescue | rescate rescatados rescatistas | soccorsi soccorritori salvati
dead | muertos muerto muerte muertes fallecidos | morti morto morte
injured | heridos herido herida heridas | feriti ferito ferita
victim | víctima víctimas | vittima vittime
earthquake | terremoto sismo seísmo | terremoto sisma scossa
flood | inundación inundaciones riada | alluvione alluvioni inondazione esondazione
storm | tormenta temporal | tempesta temporale bufera
hail | granizo granizada | grandine grandinata
rain | lluvia lluvias | pioggia piogge
landslide | deslizamiento desprendimiento | frana smottamento
snow | nieve avalancha alud | neve valanga slavina
heat | calor | caldo afa
drought | sequía | siccità
volcano | volcán erupción | vulcano eruzione
accident | accidente choque colisión | incidente scontro collisione
collapse | derrumbe colapso derrumbó | crollo crollato crollata
capsize | naufragio volcó hundió | naufragio affondato
spill | fuga vertido | fuga sversamento
train | tren trenes ferroviario | treno treni ferroviario
derail | descarrilamiento descarriló | deragliamento deragliato
track | vías | binari binario
ferry | ferri transbordador | traghetto
ship | barco barcos buque buques | nave navi imbarcazione
port | puerto | porto
passengers | pasajeros viajeros | passeggeri viaggiatori
crew | tripulación | equipaggio
flight | vuelo vuelos | volo voli
plane | avión aviones aeronave | aereo aerei velivolo
airport | aeropuerto | aeroporto
airline | aerolínea | compagnia
pilot | piloto pilotos | pilota piloti
car | coche coches vehículo vehículos | auto automobili veicolo veicoli
road | carretera autopista | strada autostrada
bridge | puente | ponte
tunnel | túnel | galleria tunnel
bus | autobús autobuses | autobus pullman
tram | tranvía | tram
traffic | tráfico | traffico
closed | cerrado cerrada cierre | chiuso chiusa chiusura
open | abre abierto inaugurado inauguración | aperto apertura inaugurato
company | empresa compañía grupo | azienda società gruppo
deal | compra adquisición fusión | acquisizione fusione
sale | venta vende vendió | vendita vende venduto
shares | acciones accionistas | azioni azionisti
profit | beneficio beneficios ganancias | utile utili profitti
loss | pérdidas | perdite
revenue | facturación ingresos | fatturato ricavi
price | precio precios | prezzo prezzi
inflation | inflación | inflazione
rate | tipos | tassi
bank | banco bancos | banca banche
market | mercado mercados | mercato mercati
economy | economía | economia
tax | impuesto impuestos | tassa tasse imposte
budget | presupuesto | bilancio
debt | deuda | debito
investment | inversión inversores | investimento investitori
factory | fábrica planta | fabbrica stabilimento
production | producción | produzione
chief | consejero | amministratore
resign | dimisión dimite dimitió | dimissioni dimette dimesso
customer | clientes | clienti
outage | apagón avería | guasto blackout
recall | retirada retira | richiamo ritiro
bankruptcy | quiebra insolvencia | fallimento bancarotta
layoffs | despidos | licenziamenti esuberi
hospital | hospital hospitales | ospedale ospedali
doctor | médico médicos | medico medici
patient | paciente pacientes | paziente pazienti
disease | enfermedad | malattia
outbreak | brote epidemia | focolaio epidemia
virus | virus | virus
vaccine | vacuna vacunación vacunados | vaccino vaccinazione vaccinati
measles | sarampión | morbillo
drug | medicamento fármaco | farmaco farmaci
school | escuela colegio alumnos | scuola scuole alunni
university | universidad | università
student | estudiantes | studenti
child | niño niños niña niñas | bambino bambini bambina
woman | mujer mujeres | donna donne
man | hombre hombres | uomo uomini
people | personas vecinos habitantes | persone abitanti residenti
family | familia familias | famiglia famiglie
city | ciudad | città
village | pueblo aldea | villaggio borgo
region | región | regione
capital | capital | capitale
border | frontera | confine frontiera
war | guerra | guerra
army | ejército militares soldados tropas | esercito militari soldati truppe
attack | ataque atentado | attacco attentato
peace | paz | pace
protest | protesta protestas manifestantes manifestación | protesta proteste manifestanti
    manifestazione
water | agua | acqua
drinking | potable | potabile
power | electricidad | elettricità
energy | energía | energia
gas | gas | gas
oil | petróleo | petrolio
climate | clima | clima
environment | | ambiente
fish | peces pescado | pesci
salmon | salmón | salmone
farm | granja agricultores | agricoltori
sea | mar océano | mare oceano
river | río | fiume
coast | costa | costa
lake | lago | lago
mountain | montaña montañas alpes | montagna montagne alpi
island | isla | isola
beach | playa | spiaggia
stadium | estadio | stadio
match | | partita
team | equipo | squadra
club | club | club
coach | entrenador | allenatore
player | jugador jugadores | giocatore giocatori
goal | gol goles | gol
championship | campeonato título campeón campeona | campionato titolo campione campionessa
final | final | finale
race | carrera | gara corsa
stage | etapa | tappa
rider | ciclista corredor | ciclista corridore
driver | conductor conductores | autista conducente
lead | líder | leader
record | récord | record primato
world | mundo mundial | mondo mondiale
medal | medalla | medaglia
film | película | film pellicola
director | director directora | regista
festival | festival | festival
prize | premio galardón | premio
actor | actor actriz | attore attrice
music | música | musica
concert | concierto | concerto
museum | museo | museo
painting | cuadro pintura | dipinto quadro
artist | artista | artista
book | libro | libro
scientist | científicos investigadores | scienziati ricercatori
study | estudio | studio
discover | descubierto descubrimiento hallazgo | scoperto scoperta
space | espacio | spazio
comet | cometa | cometa
telescope | telescopio | telescopio
astronomer | astrónomo astrónomos | astronomo astronomi
planet | planeta | pianeta
satellite | satélite | satellite
launch | lanzamiento | lancio
data | datos | dati
internet | internet | internet
app | aplicación | applicazione
software | software | software
cyberattack | ciberataque hackers | hacker
million | millón millones | milione milioni
billion | | miliardo miliardi
thousand | miles | migliaia
percent | ciento | cento
euro | euro euros | euro
dollar | dólar dólares | dollaro dollari
year | año años | anno anni
day | día días | giorno giorni
week | semana semanas | settimana settimane
month | mes meses | mese mesi
hour | hora horas | ora ore
minute | minuto minutos | minuto minuti
second | segundo segundos | secondo secondi
monday | lunes | lunedì
tuesday | martes | martedì
wednesday | miércoles | mercoledì
thursday | jueves | giovedì
friday | viernes | venerdì
saturday | sábado | sabato
sunday | domingo | domenica
january | enero | gennaio
february | febrero | febbraio
march | marzo | marzo
april | abril | aprile
may | mayo | maggio
june | junio | giugno
july | julio | luglio
august | agosto | agosto
september | septiembre | settembre
october | octubre | ottobre
november | noviembre | novembre
december | diciembre | dicembre
morning | | mattina mattino
evening | noche | sera notte
first | primero primera | primo prima
warn | advierte alerta aviso | avverte allerta allarme
""".strip()
"""Spanish and Italian words of the `WORDS` lines (session 10): each line is a `WORDS` line's
first English word, then its Spanish, then its Italian words, separated by "|" (lines that
start with spaces go on the one before). A word that names two concepts (Spanish "partido",
a party and a match) is left out, as is a concept with no such word in a language."""

EVENTS = """
strike protest theft murder arrest fraud shooting stabbing kidnapping fine fire explosion bomb
evacuate rescue dead injured earthquake flood storm hail landslide snow heat drought wildfire
volcano accident collapse capsize spill derail outage recall breach bankruptcy layoffs closed
resign deal outbreak cyberattack attack trial court appeal
""".strip()
"""The first English words of the `WORDS` lines that name what happened (the event's type:
a strike, a fire, a recall, a merger), not what or whom it concerns. Reports of one event
name its type whatever else their words; a report of another event about the same company
or place mostly does not (see `similarity.event_bonus`)."""

KEPT_STOP_WORDS = frozenset({"fire", "bill"})
"""Words of `WORDS` that the English stop-word list drops and story terms keep, in every
language: they carry an event. The other lines whose English word is a stop word
("million", "first", "may") are dropped in every language ("Millionen" as "million"), as
their German and French words would otherwise be terms the English reports never have."""
