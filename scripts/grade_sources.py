"""Grade every source of data/event_sources.csv: source_kind, original, relays_claim, official_quoted.

Run from the repository root after adding or editing sources::

    python scripts/grade_sources.py          # rewrites the four columns, prints a summary

What it does, in order (every step is data below, reviewed by hand; nothing is guessed at run
time beyond the documented rules):

1. ``OUTLETS``: each outlet name -> its kind and, for a republication or a copy, the ``original``
   whose report it carries. Kinds are defined in data/README.md. "X (AFP)" on a news site is
   ``wire`` with original AFP; a copy on an aggregator or blog ("AP (via exbulletin)",
   "SouthFront (repost on ... blog)") is ``mirror`` with its original; a copy whose original is
   not known is ``mirror`` with an empty original.
2. ``SUBSTITUTIONS``: mirrors replaced by the original report the corpus holds (outlet, title,
   date and address of the original; ``says`` kept, or reworded to what the original says).
3. ``relays_claim``: true when ``says`` reports only a claim (a militia statement, "X claimed",
   "IRI announced", Sabereen/Telegram posts) and nothing the outlet or a third party observed or
   was told (officials, security sources, witnesses, monitors, wire agencies, blasts heard...).
   A report resting only on party media of a side (Al Mayadeen, Sputnik, Tasnim, Sham FM...)
   counts as relaying a claim too; those rows are set in ``ROW_FIXES``, which also corrects the
   rule wherever a reading of the row showed it wrong.
4. ``official_quoted``: ``us`` when ``says`` quotes a US official by name or office (Pentagon,
   CENTCOM, the coalition's spokespeople, a US defense official...) on the event; ``kurdish``
   for the Kurdistan Region's officials (counter-terrorism directorate, KRG ministries, Erbil
   governor); ``iraqi`` for Iraq's (Security Media Cell, Joint Operations Command, the army,
   police, ministries). Denials and "could not confirm" are not confirmations: ``ROW_FIXES``.
5. Titles that were placeholders ("[no headline in the stored copy]") become empty, here and in
   data/key_events.csv.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"

OUTLETS_TABLE = """
200wh (quoting coalition tweet) | mirror | CJTF-OIR
964media | independent_media |
97X / Cox Media Group | independent_media |
A News (AFP) | wire | AFP
A News (Anadolu) | independent_media | Anadolu
A News (Reuters) | wire | Reuters
ABC News (AP) | wire | AP
ABC News | independent_media |
AeroTime | independent_media |
AFP (via anonvox blog / NDTV) | mirror | AFP
AFP (via Business Recorder) | wire | AFP
AFP (via Deccan Herald) | wire | AFP
AFP (via Euro Weekly News) | mirror | AFP
AFP (via Global Times) | wire | AFP
AFP (via playcrazygame) | mirror | AFP
AFP (via The Projects World / Daily Mail) | mirror | AFP
AFP (via UrduPoint) | wire | AFP
AFP / APP (via UrduPoint) | wire | AFP
Agenzia Nova | independent_media |
Ahram Online (AP) | wire | AP
Air & Space Forces Magazine (copy at sestar.blogg.se) | mirror | Air & Space Forces Magazine
Air & Space Forces Magazine | independent_media |
Air Force Magazine | independent_media |
Airwars | monitor |
Akhbar Al-Aan | independent_media |
Al Arabiya (AFP) | wire | AFP
Al Arabiya (AP) | wire | AP
Al Arabiya (Reuters) | wire | Reuters
Al Arabiya English (AFP) | wire | AFP
Al Arabiya English | independent_media |
Al Bawaba | independent_media |
Al Jazeera (AFP) | wire | AFP
Al Jazeera (via exbulletin) | mirror | Al Jazeera
Al Jazeera | independent_media |
Al Majalla | independent_media |
Al Manar (Spanish) | party_media |
Al Mayadeen English (copy at uprootedpalestinians) | mirror | Al Mayadeen
Al Mayadeen English (via gisrael.com), citing Politico | mirror | Al Mayadeen
Al Mayadeen English (via Pan-African News Wire) | mirror | Al Mayadeen
Al Mayadeen English (via panafricannews blog) | mirror | Al Mayadeen
Al Mayadeen English | party_media |
Al Mayadeen | party_media |
Al Qahera News | independent_media |
Al Taghier (CNN) | mirror | CNN
Al-Aalem | independent_media |
Al-Ahed News | party_media |
Al-Ahram (AFP/AP) | wire | AFP
Al-Akhbar | party_media |
Al-Alam | party_media |
Al-Amssar | independent_media |
Al-Araby Al-Jadeed (via Hathalyoum) | mirror | Al-Araby Al-Jadeed
Al-Araby Al-Jadeed | independent_media |
Al-Araby al-Jadeed | independent_media |
Al-Dostor | mirror | Al-Dostor
Al-Khabour | independent_media |
Al-Manar English | party_media |
Al-Masdar News | independent_media |
Al-Mohrar Media | independent_media |
Al-Monitor (via The Iran Project) | mirror | Al-Monitor
Al-Monitor | independent_media |
Al-Quds Al-Arabi | independent_media |
Al-Raees News | mirror |
Al-Siasi (citing Al Arabiya English) | mirror | Al Arabiya
Al-Sumer (saymar.org) | independent_media |
Al-Tareeq | independent_media |
Al-Thabat | independent_media |
Alabama News Network (AP) | wire | AP
Albawaba (Anadolu) | independent_media | Anadolu
Albawaba (UPI) | independent_media | UPI
Alsharqiya | independent_media |
Alsiasi (AFP) | wire | AFP
Altaghier | independent_media |
Ambassador News (Reuters, Arabic) | mirror | Reuters
American Action News (DCNF) | independent_media | Daily Caller News Foundation
American Military News (Reuters) | wire | Reuters
American Military News (TNS) | independent_media |
American Military News (via Clarion) | mirror | American Military News
American Military News | independent_media |
American Prosperity | mirror |
Anadolu (via Ensonhaber) | independent_media | Anadolu
Anadolu (via hathalyoum) | mirror | Anadolu
Anadolu Agency | independent_media |
ANF (Spanish) | party_media |
ANF Arabic | party_media |
ANI / Xinhua (via Devdiscourse) | independent_media | Xinhua
ANI / Xinhua (via Indian Economic Observer) | mirror | Xinhua
Antiwar.com | independent_media |
AP (via Ahram Online) | wire | AP
AP (via Devdiscourse) | wire | AP
AP (via exbulletin) | mirror | AP
AP (via KWQC) | wire | AP
AP (via The Media Express) | mirror | AP
AP (via thebarta) | mirror | AP
AP (via WYMT) | wire | AP
AP (via Zee News) | wire | AP
APD News (Xinhua) | independent_media | Xinhua
Arab INP | independent_media |
Arab Khabar (Euronews Arabic copy) | mirror | Euronews
Arab News (AFP) | wire | AFP
Arab News (Reuters) | wire | Reuters
Arab News Pakistan (AFP) | wire | AFP
Arabi Post | independent_media |
Arabi21 | independent_media |
Arabkhabar (Yamanyoon) | mirror | Yamanyoon
Archynetys (NYT copy) | mirror | The New York Times
Arutz Sheva (Reuters) | wire | Reuters
Arutz Sheva | independent_media |
ARY News (Reuters) | wire | Reuters
Asharq Al-Awsat (via Sahafi.jo) | mirror | Asharq Al-Awsat
Asharq Al-Awsat | independent_media |
Associated Press (via 13abc) | wire | AP
Atlantic Council | monitor |
Attention to the Unseen (Reuters/AP excerpts) | mirror | Reuters
AW Journal | independent_media |
Axios | independent_media |
Baghdad Today (via Dinar Detectives) | mirror | Baghdad Today
Baghdad Today | independent_media |
Baladi News | independent_media |
Baladna El Youm | independent_media |
Balkan Periscope (echedoros-a.gr) | independent_media |
BasNews (via Dinar Detectives) | mirror | BasNews
BBC News | independent_media |
bdnews24 (Reuters) | wire | Reuters
Behold Israel | independent_media |
Beijing News | independent_media |
Benzinga (Reuters) | wire | Reuters
Berita PAS | independent_media |
Bianet | independent_media |
BlacklistedNews (RT) | mirror | RT
BNN Breaking | mirror |
BOL News | independent_media |
Boston Globe (New York Times) | independent_media | The New York Times
Breaking News Turkey (Anadolu) | mirror | Anadolu
Breaknlinks | mirror |
Breitbart | independent_media |
Cairo Sync (ar) | mirror | Reuters
Cairo24 (SOHR) | independent_media | SOHR
Caliber.az (Reuters) | wire | Reuters
Caliber.az | independent_media |
Causa Operária (pt) | independent_media |
CBS News (copy at krnewsserving) | mirror | CBS News
Center for Security Policy | monitor |
Chams News | independent_media |
Channels TV (AFP) | wire | AFP
China Daily HK (Reuters) | wire | Reuters
China.org.cn (Xinhua) | independent_media | Xinhua
Cinar Insesi (ILKHA) | independent_media | ILKHA
CNN (copy) | mirror | CNN
CNN (via exbulletin) | mirror | CNN
Coffee or Die | independent_media |
Combined Joint Task Force - Operation Inherent Resolve | us_official |
Crisis24 (GardaWorld) | monitor |
CUAS Hub | independent_media |
Dagens | independent_media |
Daily Alert (VOA News) | mirror | Voice of America
Daily Caller (Reuters) | wire | Reuters
Daily Caller | independent_media |
Daily Mail (Reuters) | wire | Reuters
Daily News (Iran) | party_media |
Daily Sabah (AFP) | wire | AFP
Dallas Express | independent_media |
Damapost | independent_media |
Dawn (AFP) | wire | AFP
Defense Mirror | independent_media |
Defense One D Brief (blog copy) | mirror | Defense One
Defense One | independent_media |
DefenseScoop | independent_media |
Devdiscourse (ANI) | independent_media | ANI
Diyaruna (AFP) | wire | AFP
Dnyuz (The Telegraph) | mirror | The Telegraph
Doğru Haber | independent_media |
dpa (via Tidjigja) | mirror | dpa
DW (AP/Reuters/AFP) | wire | AP
DW | independent_media |
Earth Press News (Reuters) | mirror | Reuters
Elaph | independent_media |
Elmada News | independent_media |
Elmanshar | independent_media |
Emarat News (Arabic) | independent_media |
Enab Baladi | independent_media |
ENM News (Reuters) | wire | Reuters
ENM News | independent_media |
Ensonhaber (Anadolu) | independent_media | Anadolu
Ensonhaber (Reuters) | wire | Reuters
EOT (Rossa Primavera) | party_media | Sputnik
ESTA (Reuters/AP/AFP round-up) | mirror | Reuters
ESTA | independent_media |
Euro Weekly News | independent_media |
Exbulletin | mirror |
FDD Long War Journal / Flash Brief | monitor |
FDD | monitor |
FDD's Long War Journal | monitor |
Federal News Network (AP) | wire | AP
Fight Back! News | mirror | Fars
forum.nef2.com | mirror |
Fox Press (SOHR) | independent_media | SOHR
FOX8 (CNN) | independent_media | CNN
Free Press Journal | independent_media |
Gercek News | independent_media |
GFATF (Kurdistan24 copy) | mirror | Kurdistan24
Global Defense (AFP) | mirror | AFP
Global Wide News (NYT excerpt) | mirror | The New York Times
GlobalSecurity.org (CENTCOM release) | mirror | CENTCOM
Gulan Media | independent_media |
Gulf Times (via hathalyoum) | mirror | Gulf Times
Haaretz (Reuters) | wire | Reuters
Hajij (Al Jazeera report) | mirror | Al Jazeera
Hamso News (Al Mayadeen) | mirror | Al Mayadeen
Hatha al-Youm (AP) | mirror | AP
Hatha al-Youm (Kurdistan24) | mirror | Kurdistan24
Hawar News (ANHA) | party_media |
HCH TV | independent_media |
HispanTV | party_media |
HNGN | independent_media |
Horrya | independent_media |
Hozint | monitor |
Hurriyet Daily News (AFP) | wire | AFP
i24NEWS | independent_media |
IBTimes Singapore | independent_media |
IFP News | party_media |
ILNA | party_media |
India TV (CNN) | independent_media | CNN
India TV (Reuters) | wire | Reuters
INP+ | independent_media |
International Crisis Group (CrisisWatch) | monitor |
International Crisis Group | monitor |
IQ News | independent_media |
Iran International | independent_media |
Iran Press | party_media |
Iran Primer (USIP) | monitor |
IranWatch (NYT summary) | mirror | The New York Times
Iraqi News Agency (INA) | iraqi_official |
IRNA Arabic | party_media |
Islam Times (Al Mayadeen) | party_media | Al Mayadeen
Islam Times (AP) | wire | AP
Islam Times (Indonesian) | party_media |
Islam Times (Reuters) | wire | Reuters
Islam Times (Sputnik/SANA) | party_media | Sputnik
Islam Times | party_media |
Islamic Invitation Turkey | party_media |
Israel Noticias | independent_media |
Israel365 News | independent_media |
ISW summary (German, ChatGPT-generated) | mirror | ISW
ISW | monitor |
ISW/CTP Iran Update | monitor |
ISWNews | party_media |
IWN (iswnews.com) | party_media |
Janes | independent_media |
Jerusalem Post (Reuters) | wire | Reuters
Jewish Press | independent_media |
JewishPress | independent_media |
Jurnal Time (Anadolu copy) | mirror | Anadolu
Just Earth News | independent_media |
Kailavi News (AFP copy) | mirror | AFP
Kayhan (Dispatches) | party_media |
Kayhan | party_media |
KDAL (Reuters) | wire | Reuters
KEYT (AP) | wire | AP
Khaleej Times (Reuters) | wire | Reuters
Kitabat | independent_media |
kolozeg.org (copy) | mirror |
KRDO (CNN) | independent_media | CNN
Kresy.pl (quoting Reuters and coalition tweet) | independent_media |
KSA Players (news aggregator) | mirror |
ksaplayers (copy of an Arabic news report) | mirror |
KSL TV (CNN) | independent_media | CNN
Kurdistan24 | independent_media |
Kurdpress | party_media |
KVIA (CNN) | independent_media | CNN
Latin Times | independent_media |
LBCI (AFP) | wire | AFP
LBCI (Reuters) | wire | Reuters
LBCI | independent_media |
Legitgov | mirror |
Livemint (Reuters) | wire | Reuters
Lnaiq | independent_media |
Lokmat Times | independent_media |
Los Angeles Times | independent_media |
Lucis Philippines (RT) | mirror | RT
Mamul.am (Xinhua) | independent_media | Xinhua
Manila Bulletin (AFP) | wire | AFP
Manila Bulletin (Reuters) | wire | Reuters
Mehr News (FNA) | party_media | Fars
Mehr News | party_media |
MEMO/Reuters (via ummnews) | mirror | Reuters
MEMRI JTTM | monitor |
MENA Affairs | independent_media |
MENA Monitor | independent_media |
MENA News (Italian) | independent_media |
MENAFN (KUNA) | mirror | KUNA
MENAFN (NNN-SANA) | mirror | SANA
MENAFN | mirror |
Mid-day (AP) | wire | AP
Middle East Eye | independent_media |
Middle East Monitor (Anadolu) | independent_media | Anadolu
Middle East Monitor / Anadolu (via ummnews) | mirror | Anadolu
Middle East Monitor | independent_media |
Middle East Online | independent_media |
Middle East Press | independent_media |
Military Times | independent_media |
Military.com | independent_media |
Milthink (NatSec Brief) | independent_media |
Musings on Iraq (blog) | monitor |
Musings on Iraq | monitor |
Muslim Community Report | independent_media |
Naharnet | independent_media |
Nahrain Net | independent_media |
NAM News Network (SANA) | party_media | SANA
Nasdaq (Reuters) | wire | Reuters
National Guard Bureau (nationalguard.mil) | us_official |
National Herald (AFP) | wire | AFP
National Herald | independent_media |
NBC News (copy at sharecaster) | mirror | NBC News
NBC News | independent_media |
NBC Palm Springs | independent_media |
New Indian Express (AFP) | wire | AFP
New Telegraph (Reuters) | wire | Reuters
New York Daily News | independent_media |
New York Digital News (NY Post) | mirror | New York Post
New York National Guard (media advisory via ReadMedia) | us_official |
News Front (German) | party_media |
News Today (Reuters) | wire | Reuters
News.ru | party_media |
Newsfirst (Sri Lanka) | independent_media |
Newsmax (Reuters) | wire | Reuters
Newsmax | independent_media |
Newsweek (via newsparliament) | mirror | Newsweek
Newsweek | independent_media |
NHE Travel (security update log) | monitor |
North Press Agency (Arabic) | independent_media |
North Press Agency | independent_media |
Noticia Brasil (Sputnik) | party_media | Sputnik
Novinite | independent_media |
NPR (via KLCC) | independent_media | NPR
NPR (via WUNC) | independent_media | NPR
NRT (Reuters) | wire | Reuters
NRT | independent_media |
NTD (AP) | wire | AP
NTD | independent_media |
nworeport (Breitbart copy) | mirror | Breitbart
OAF Nation (Reuters) | mirror | Reuters
OilPrice.com (AP) | wire | AP
One America News | independent_media |
Orient/Al-Modon (orobaa) | mirror | Orient News
Pan-African News Wire (PressTV) | mirror | Press TV
Pars Today | party_media |
ParsToday (Japanese) | party_media |
Patriots Daily Digest | mirror |
Pentapostagma | independent_media |
People's Daily Online (Xinhua) | independent_media | Xinhua
Peoples Dispatch | independent_media |
Pledge Times (Al-Ittihad copy) | mirror | Al-Ittihad
Pledge Times (translated Arabic press) | mirror |
Pledge Times | mirror |
PNA (Anadolu) | independent_media | Anadolu
Political IQ | independent_media |
PoliticalIQ | independent_media |
Politico | independent_media |
Pravda EN (Reuters) | mirror | Reuters
Pravda.ru | party_media |
Press TV | party_media |
PressTV | party_media |
Profile News | independent_media |
Prophecy News Stand (JPost copy) | mirror | The Jerusalem Post
Prophecy News Stand (Reuters/WaPo copy) | mirror | Reuters
Punctualsoft (AP) | mirror | AP
Qatar News Agency | independent_media |
Quotidiano.net | independent_media |
R1 News (copy of a US report) | mirror |
Racurs (citing Washington Post) | mirror | The Washington Post
Radio Al-Kul | independent_media |
Radio Zamaneh | independent_media |
Raw News 1st | independent_media |
Rebaz News | independent_media |
Report Focus News (Reuters) | mirror | Reuters
Republic World (Reuters) | wire | Reuters
Republic World (TASS) | party_media | TASS
Republic World | independent_media |
Republika (North Macedonia) | independent_media |
Reuters (via Al Arabiya) | wire | Reuters
Reuters (via bdnews24) | wire | Reuters
Reuters (via Business Recorder) | wire | Reuters
Reuters (via Deccan Herald) | wire | Reuters
Reuters (via Devdiscourse) | wire | Reuters
Reuters (via Newsmax) | wire | Reuters
Reuters (via Oman Observer) | wire | Reuters
Reuters (via Shore News Network) | mirror | Reuters
Reuters (via TBS News) | wire | Reuters
Reuters (via The Epoch Times) | wire | Reuters
Reuters (via The Financial Express) | wire | Reuters
Reuters (via The Hindu) | wire | Reuters
Reuters (via UpNewsInfo) | mirror | Reuters
Reuters | wire | Reuters
Rev transcript (copy on Ameblo) | mirror | U.S. Department of Defense
RFE/RL | independent_media |
RNBO (VOA copy) | mirror | Voice of America
Royal Patriot | mirror |
RT | party_media |
RTP | independent_media |
Rudaw (Arabic) | independent_media |
Rudaw (copy at dinardetectives) | mirror | Rudaw
Rudaw (via Dinar Detectives) | mirror | Rudaw
Rudaw | independent_media |
Rustavi 2 (AFP) | wire | AFP
sabanavillavicencio (blog) | mirror |
Sabq | wire | Reuters
Safir News (Mehr) | mirror | Mehr News
Safir News (Press TV copy) | mirror | Press TV
Salon mailing list (Al Mayadeen / The Cradle text) | mirror | Al Mayadeen
SANA | party_media |
Saudi site ksaplayers (Xinhua-style report) | mirror |
Sawt al-Hayat | independent_media |
Searchiro (Jerusalem Post) | mirror | The Jerusalem Post
Semafor | independent_media |
Shafaq News (Arabic) | independent_media |
Shafaq News (Reuters) | wire | Reuters
Shafaq News (SOHR) | independent_media | SOHR
Shafaq News (via Hathalyoum) | mirror | Shafaq News
Shafaq News | independent_media |
Shafaqna (Anadolu) | mirror | Anadolu
Shafaqna (citing Al Mayadeen) | mirror | Al Mayadeen
Shafaqna (IQNA/Reuters) | mirror | Reuters
Shanghai Daily (Xinhua) | independent_media | Xinhua
Shargh Daily (Mehr) | mirror | Mehr News
Sharq Trend | independent_media |
Shoerack (The National copy) | mirror | The National
Siasat Daily | independent_media |
Sky News Arabia (via snabusiness) | mirror | Sky News Arabia
Sky Press | independent_media |
Small Wars Journal (Stars and Stripes) | mirror | Stars and Stripes
SOFREP | independent_media |
SOFX | independent_media |
Sot al-Iraq | independent_media |
SOTT (NBC News copy) | mirror | NBC News
SOTT (Press TV copy) | mirror | Press TV
SOTT (RT copy) | mirror | RT
South China Morning Post (AFP/Reuters) | wire | AFP
South Front | party_media |
SouthFront (Arabic site, English text) | party_media |
SouthFront (copy at izwest livejournal) | mirror | SouthFront
SouthFront (repost on uprootedpalestinians blog) | mirror | SouthFront
SouthFront (via izwest) | mirror | SouthFront
SouthFront (via uprootedpalestinians blog) | mirror | SouthFront
SouthFront | party_media |
SouthFront-style blog (uprootedpalestinians) | mirror | SouthFront
Sputnik (via UrduPoint) | party_media | Sputnik
Sputnik | party_media |
Stars and Stripes | independent_media |
Stening Simpson | monitor |
Step News Agency (Arabic) | independent_media |
SunStar (AP) | wire | AP
Syria Monitor (citing Anadolu) | mirror | Anadolu
Syria Support Movement (The Cradle) | mirror | The Cradle
Syria Today | independent_media |
Syria Truths | party_media |
Syria TV | independent_media |
SyriaArabSpring (Aoyama Hiroyuki, compiling SOHR/RIA Novosti) | mirror | SOHR
SyriaArabSpring (compiling SOHR/AFP/Reuters) | mirror | SOHR
SyriaArabSpring (compiling SOHR/ANHA) | mirror | SOHR
SyriaArabSpring (compiling SOHR/ANHA/SANA) | mirror | SOHR
Syriac Press | independent_media |
Syrian Observatory for Human Rights (Arabic) | monitor |
Syrian Observatory for Human Rights | monitor |
Syrian Observer (AFP) | wire | AFP
Syrian Today | independent_media |
Tac Gear Drop (AP copy) | mirror | AP
TAG24 (AFP) | wire | AFP
Taghrib News | party_media |
Talos Iraq | monitor |
Tampang (id) | independent_media |
Task & Purpose | independent_media |
Tasnim | party_media |
TASS | party_media |
Tawassoul (citing Al Mayadeen) | mirror | Al Mayadeen
Tehran Times | party_media |
teleSUR | independent_media |
The Arab Weekly (AP) | wire | AP
The Atlas News | independent_media |
The Baghdad Post (Xinhua) | independent_media | Xinhua
The Baghdad Post | independent_media |
The Conservative Treehouse | independent_media |
The Cradle (copy at communistnews.net) | mirror | The Cradle
The Cradle (copy at reflectiigeopolitice.ro) | mirror | The Cradle
The Cradle (Japanese translation on manhaslanded blog) | mirror | The Cradle
The Cradle (Japanese translation on note.com) | mirror | The Cradle
The Cradle | party_media |
The Daily Beast (AP) | wire | AP
The Daily Beast (Reuters) | wire | Reuters
The Daily Beast | independent_media |
The Debrief | independent_media |
The Defense Post (AFP) | wire | AFP
The Election Post | independent_media |
The Epoch Times (via Clarion) | mirror | The Epoch Times
The Epoch Times | independent_media |
The Frontier Post (AFP) | wire | AFP
The Hawk | independent_media |
The Hill | independent_media |
The Hindu (Reuters) | wire | Reuters
The Indian Awaaz | independent_media |
The Jerusalem Post (copy at ifmat.org) | mirror | The Jerusalem Post
The Jerusalem Post | independent_media |
The Jordan Times (AFP) | wire | AFP
The Media Line (via WCTS) | mirror | The Media Line
The Media Line | independent_media |
The National | independent_media |
The New Arab (AFP) | wire | AFP
The New Arab (AP) | wire | AP
The New Arab (via irannewsgazette) | mirror | The New Arab
The New Arab | independent_media |
The New Daily (AAP) | independent_media | AAP
The New Dispatch | independent_media |
The New Indian Express (AFP) | wire | AFP
The New Khalij | independent_media |
The News International (AFP) | wire | AFP
The Spokesman-Review (Washington Post) | independent_media | The Washington Post
The Straits Times (Reuters) | wire | Reuters
The Syrian Observer (Sputnik) | mirror | Sputnik
The Times of Israel (AFP) | wire | AFP
The Times | independent_media |
The Washington Post | independent_media |
The Washington Times | independent_media |
The Weekend Leader (IANS) | independent_media | Xinhua
The World Monitor | independent_media |
TIME (AP) | wire | AP
Times of Israel (AFP) | wire | AFP
Tisen.tv | mirror |
Top Buzz Times (AFP) | mirror | AFP
Total News (OAN) | mirror | One America News
Track Persia (AFP/AP) | mirror | AFP
Track Persia (Al Arabiya) | mirror | Al Arabiya
Track Persia (Iran International/AP) | mirror | Iran International
Trend (Reuters) | wire | Reuters
TRT World (AFP) | wire | AFP
TRT World (Anadolu) | independent_media | Anadolu
U.S. Central Command (DoD transcript) | us_official |
U.S. Central Command | us_official |
U.S. Department of Defense / Military.com | independent_media |
U.S. Department of Defense | us_official |
Uday India | independent_media |
Ukraine Breaking News (WNU, citing Sputnik/AFP) | mirror |
Unidentified outlet (CloudFront mirror) | mirror |
Unidentified US outlet (mirror) | mirror |
United Against Nuclear Iran | monitor |
UNN | independent_media |
UPI | independent_media |
UrduPoint (AFP) | wire | AFP
UrduPoint (AFP/APP) | wire | AFP
UrduPoint (Sputnik) | party_media | Sputnik
UrduPoint / Sputnik | party_media | Sputnik
Vibes FM (copy of wire report) | mirror |
Voice of America (AP) | wire | AP
Voice of America (Reuters) | wire | Reuters
Waradana | independent_media |
Washington Examiner | independent_media |
Washington Free Beacon (AP) | wire | AP
Washington Post (rewritten copy on washingtonnewsalert) | mirror |
Washington Post | independent_media |
WEAU (AP) | wire | AP
WeForNews | independent_media |
Western Journal (AP) | wire | AP
WFIN (Fox News) | independent_media | Fox News
WikiMili (Wikipedia mirror) | mirror |
Wikipedia (friendlywiki copy) | mirror |
Wikipedia copy (cryer.org.uk) | mirror |
Wikipedia | mirror |
Wings Magazine (AP) | wire | AP
WION | independent_media |
World Report Now (Reuters rewrite) | mirror | Reuters
World Report Now | mirror |
Xeber24 | independent_media |
Xinhua (via Big News Network) | mirror | Xinhua
Xinhua (via News Ghana) | mirror | Xinhua
Xinhua (via People's Daily Online) | independent_media | Xinhua
Xinhua (via People's Daily) | independent_media | Xinhua
Xinhua Arabic (via People's Daily Arabic) | independent_media | Xinhua
Xinhua-style report (yyoutdoors) | mirror |
Xinhua/ANI (via LatestLY) | mirror | Xinhua
Xinhua/ANI (via Lokmat Times) | mirror | Xinhua
Yahoo News (AP) | wire | AP
Yahoo News (CBS News) | independent_media | CBS News
Yankees Unscripted (Fox News copy) | mirror | Fox News
YCPress | independent_media |
Yekiti Media | independent_media |
Yemen Extra | party_media |
Yeni Safak (Anadolu) | independent_media | Anadolu
Ynetnews (AP) | wire | AP
Ynetnews (Reuters) | wire | Reuters
Youm7 | independent_media |
Zawaya Media | independent_media |
zero-ready.com (AFP copy) | mirror | AFP
ZeroHedge (Antiwar.com) | mirror | Antiwar.com
ZeroHedge | independent_media |
Zhyan News Network | independent_media | SOHR
Zhyan News | independent_media |
Zougla (AFP) | wire | AFP
"""

# Mirrors replaced by the original the corpus holds: (event_id, url of the copy) -> the original's
# outlet, title, published and url (and `says` where the original words it differently). When the
# event already cites the original, the copy's row is merged into it (its `says` appended, unless
# keep_says: the original's row already says it).
SUBSTITUTIONS: dict[tuple[str, str], dict[str, str]] = {
    # Copy of Kurdistan24's report (the Gulf Times text on hathalyoum repeats it)
    (
        "A2021-0030",
        "https://english.hathalyoum.net/articles/43755--suicide-dronestargets-ain-asad-airbaseiraq-",
    ): {
        "outlet": "Kurdistan24",
        "title": "Iraq: New 'suicide drone' attack targets Ain Al-Asad airbase",
        "published": "",
        "url": "https://www.kurdistan24.net/en/story/24454-Iraq:-New-%27suicide-drone%27-attack-targets-Ain-Al-Asad-airbase",
    },
    (
        "A2021-0031",
        "https://english.hathalyoum.net/articles/43755--suicide-dronestargets-ain-asad-airbaseiraq-",
    ): {
        "outlet": "Kurdistan24",
        "title": "Iraq: New 'suicide drone' attack targets Ain Al-Asad airbase",
        "published": "",
        "url": "https://www.kurdistan24.net/en/story/24454-Iraq:-New-%27suicide-drone%27-attack-targets-Ain-Al-Asad-airbase",
        "says": "Source: two explosive drones, one shot down, the other hit the area of US and Iraqi forces; Marotto: UAS attack ~02:20, no injuries, a hangar damaged",
    },
    # Reuters report of 2023-11-09 as The Straits Times carries it (World Report Now rewrote it)
    (
        "A2023-0047",
        "https://www.worldreportnow.com/news/drone-explosive-attacks-target-us-forces-across-iraq/39939/",
    ): {
        "outlet": "The Straits Times (Reuters)",
        "title": "",
        "published": "2023-11-10",
        "url": "https://www.straitstimes.com/world/drone-explosive-attacks-target-us-forces-across-iraq-sources",
        "says": "US military official: coalition convoy hit by an IED near Mosul Dam, no casualties; part of the widest single day of attacks in Iraq",
    },
    (
        "A2023-0050",
        "https://www.worldreportnow.com/news/drone-explosive-attacks-target-us-forces-across-iraq/39939/",
    ): {
        "outlet": "The Straits Times (Reuters)",
        "title": "",
        "published": "2023-11-10",
        "url": "https://www.straitstimes.com/world/drone-explosive-attacks-target-us-forces-across-iraq-sources",
        "says": "Kurdistan CT statement: drones at al-Harir caused a fire at a fuel depot; coalition forces left the base on Oct 20",
    },
    # The defense.gov transcript of the briefing Rev's copy reproduces
    ("A2024-0043", "https://ameblo.jp/shinobinoshu/entry-12838949170.html"): {
        "outlet": "U.S. Department of Defense",
        "title": "Pentagon Press Secretary Maj. Gen. Pat Ryder Holds a Press Briefing",
        "published": "2024-01-30",
        "url": "https://www.defense.gov/News/Transcripts/Transcript/Article/3661277/pentagon-press-secretary-maj-gen-pat-ryder-holds-a-press-briefing/",
    },
    # Reuters wire as the Daily Mail's Reuters feed carries it
    (
        "A2020-0076",
        "https://upnewsinfo.com/2020/09/30/rockets-land-near-erbil-airport-iraqi-kurdish-security-sources-say-by/",
    ): {
        "outlet": "Daily Mail (Reuters)",
        "title": "Rockets land near Erbil airport, Iraqi Kurdish security sources say",
        "published": "2020-09-30",
        "url": "https://www.dailymail.co.uk/wires/reuters/article-8791389/Rockets-land-near-Erbil-airport-Iraqi-Kurdish-security-sources-say.html?ns_mchannel=rss&ns_campaign=1490&ito=1490",
    },
    ("A2022-0015", "https://earthpressnews.com/drone-explodes-near-us-consulate-in-erbil/"): {
        "outlet": "Daily Mail (Reuters)",
        "title": "",
        "published": "2022-06-08",
        "url": "https://www.dailymail.co.uk/wires/reuters/article-10898173/Explosive-drone-goes-Iraqs-northern-city-Erbil.html?ns_mchannel=rss&ns_campaign=1490&ito=1490",
        "says": "Kurdistan CT statement: drone exploded on Pirmam road at 21:35; 3 injured, vehicles damaged; two security sources say it was shot down",
    },
    # AP story as Yahoo News carries it (The Media Express quoted it)
    (
        "A2020-0026",
        "https://themediaexpress.com/2020/06/23/baghdad-rocket-attack-on-a-coalition-army-base/",
    ): {
        "outlet": "Yahoo News (AP)",
        "title": "Iraq's military: 1 rocket hits near airport, no casualties",
        "published": "",
        "url": "https://www.yahoo.com/news/iraqs-military-1-rocket-hits-204756414.html",
    },
    # OAN's own page (Total News is a machine-translated copy); merged where the event already cites it
    (
        "A2023-0002",
        "https://totalnews.com/24-american-soldiers-injured-in-iraq-syria-u-s-base-drone-attacks/",
    ): {
        "outlet": "One America News",
        "title": "24 American Soldiers Injured In Iraq, Syria U.S. Base Drone Attacks",
        "published": "2023-10-26",
        "url": "https://www.oann.com/newsroom/24-american-soldiers-injured-in-iraq-syria-u-s-base-drone-attacks/",
    },
    (
        "A2023-0005",
        "https://totalnews.com/24-american-soldiers-injured-in-iraq-syria-u-s-base-drone-attacks/",
    ): {
        "outlet": "One America News",
        "title": "24 American Soldiers Injured In Iraq, Syria U.S. Base Drone Attacks",
        "published": "2023-10-26",
        "url": "https://www.oann.com/newsroom/24-american-soldiers-injured-in-iraq-syria-u-s-base-drone-attacks/",
    },
    (
        "A2023-0007",
        "https://totalnews.com/24-american-soldiers-injured-in-iraq-syria-u-s-base-drone-attacks/",
    ): {
        "outlet": "One America News",
        "title": "24 American Soldiers Injured In Iraq, Syria U.S. Base Drone Attacks",
        "published": "2023-10-26",
        "url": "https://www.oann.com/newsroom/24-american-soldiers-injured-in-iraq-syria-u-s-base-drone-attacks/",
    },
    (
        "A2023-0009",
        "https://totalnews.com/24-american-soldiers-injured-in-iraq-syria-u-s-base-drone-attacks/",
    ): {
        "outlet": "One America News",
        "title": "24 American Soldiers Injured In Iraq, Syria U.S. Base Drone Attacks",
        "published": "2023-10-26",
        "url": "https://www.oann.com/newsroom/24-american-soldiers-injured-in-iraq-syria-u-s-base-drone-attacks/",
    },
    (
        "A2023-0010",
        "https://totalnews.com/24-american-soldiers-injured-in-iraq-syria-u-s-base-drone-attacks/",
    ): {
        "outlet": "One America News",
        "title": "24 American Soldiers Injured In Iraq, Syria U.S. Base Drone Attacks",
        "published": "2023-10-26",
        "url": "https://www.oann.com/newsroom/24-american-soldiers-injured-in-iraq-syria-u-s-base-drone-attacks/",
    },
    (
        "A2023-0012",
        "https://totalnews.com/24-american-soldiers-injured-in-iraq-syria-u-s-base-drone-attacks/",
    ): {
        "outlet": "One America News",
        "title": "24 American Soldiers Injured In Iraq, Syria U.S. Base Drone Attacks",
        "published": "2023-10-26",
        "url": "https://www.oann.com/newsroom/24-american-soldiers-injured-in-iraq-syria-u-s-base-drone-attacks/",
    },
    # Reuters as Livemint carries it, already cited for these events (OAF Nation copied it)
    (
        "A2023-0070",
        "https://oafnation.com/blogs/news/us-forces-attacked-four-times-in-iraq-syria-within-hours",
    ): {
        "outlet": "Livemint (Reuters)",
        "title": "Drone attacks on US forces in Iraq and Syria, no casualties reported",
        "published": "2023-11-24",
        "url": "https://www.livemint.com/news/world/drone-attacks-on-us-forces-in-iraq-and-syria-no-casualties-reported/amp-11700786573335.html",
        "keep_says": "1",
    },
    (
        "A2023-0071",
        "https://oafnation.com/blogs/news/us-forces-attacked-four-times-in-iraq-syria-within-hours",
    ): {
        "outlet": "Livemint (Reuters)",
        "title": "Drone attacks on US forces in Iraq and Syria, no casualties reported",
        "published": "2023-11-24",
        "url": "https://www.livemint.com/news/world/drone-attacks-on-us-forces-in-iraq-and-syria-no-casualties-reported/amp-11700786573335.html",
        "keep_says": "1",
    },
    (
        "A2023-0072",
        "https://oafnation.com/blogs/news/us-forces-attacked-four-times-in-iraq-syria-within-hours",
    ): {
        "outlet": "Livemint (Reuters)",
        "title": "Drone attacks on US forces in Iraq and Syria, no casualties reported",
        "published": "2023-11-24",
        "url": "https://www.livemint.com/news/world/drone-attacks-on-us-forces-in-iraq-and-syria-no-casualties-reported/amp-11700786573335.html",
        "keep_says": "1",
    },
    (
        "A2023-0073",
        "https://oafnation.com/blogs/news/us-forces-attacked-four-times-in-iraq-syria-within-hours",
    ): {
        "outlet": "Livemint (Reuters)",
        "title": "Drone attacks on US forces in Iraq and Syria, no casualties reported",
        "published": "2023-11-24",
        "url": "https://www.livemint.com/news/world/drone-attacks-on-us-forces-in-iraq-and-syria-no-casualties-reported/amp-11700786573335.html",
        "keep_says": "1",
    },
    # AFP as The Jordan Times carries it (Kailavi copied it)
    (
        "A2024-0050",
        "https://kailavinews.com/7-fighters-led-by-kurds-were-slain-in-an-attack-on-a-us-base-in-syria-kailavi-news-blog/?amp=1",
    ): {
        "outlet": "The Jordan Times (AFP)",
        "title": "7 Kurdish-led fighters killed in attack on US base in Syria — monitor",
        "published": "2024-02-05",
        "url": "https://jordantimes.com./news/region/7-kurdish-led-fighters-killed-attack-us-base-syria-%E2%80%94-monitor",
    },
    # AP as Wings Magazine carries it (Track Persia summarised AFP and AP)
    (
        "A2022-0001",
        "https://www.trackpersia.com/two-suicide-drones-shot-down-in-baghdad-on-anniversary-of-iranian-generals-killing/",
    ): {
        "outlet": "Wings Magazine (AP)",
        "title": "Coalition: 2 armed drones shot down at Baghdad airport",
        "published": "2022-01-03",
        "url": "https://www.wingsmagazine.com/coalition-2-armed-drones-shot-down-at-baghdad-airport/",
        "says": "Coalition official: C-RAM at the Baghdad Diplomatic Support Center downed two drones; no damage or injuries",
    },
    # Reuters as The Hindu carries it, already cited (MEMO via ummnews rewrote it)
    ("A2021-0024", "http://ummnews.biz/node/55567"): {
        "outlet": "Reuters (via The Hindu)",
        "title": "",
        "published": "2021-04-15",
        "url": "https://www.thehindu.com/news/international/drone-targets-us-troops-at-iraqs-erbil-airport/article34329440.ece/amp/",
        "keep_says": "1",
    },
    # SouthFront's own page, already cited (the blog reposted it)
    (
        "A2020-0018",
        "https://uprootedpalestinians.wordpress.com/2020/04/10/mysterious-resistance-group-releases-video-of-ied-attack-on-u-s-convoy-in-northern-iraq/",
    ): {
        "outlet": "SouthFront",
        "title": "Mysterious Resistance Group Releases Video Of IED Attack On U.S. Convoy In Northern Iraq",
        "published": "",
        "url": "https://southfront.org/mysterious-group-releases-video-of-ied-attack-on-u-s-convoy-in-northern-iraq/",
    },
    # AP's story as WEAU carries it (Attention to the Unseen excerpted it)
    (
        "A2023-0006",
        "https://attentiontotheunseen.com/2023/10/19/drones-target-u-s-troops-in-iraq-and-syria/",
    ): {
        "outlet": "WEAU (AP)",
        "title": "Drones attack a US military base in southern Syria and there are minor injuries, US officials say",
        "published": "2023-10-19",
        "url": "https://www.weau.com/2023/10/19/drones-attack-us-military-base-southern-syria-there-are-minor-injuries-us-officials-say/",
        "says": "Two US officials to AP: drones attacked al-Tanf on Thursday; one shot down, another caused minor injuries",
    },
}

# Corrections of the relays_claim / official_quoted rules and of single rows' kind after reading
# the row: (event_id, url) -> {column: value}, with the reason.
ROW_FIXES: dict[tuple[str, str], dict[str, str]] = {
    # A2020-0029 Talos Iraq: reports the attack as happening (place, damage or casualties), the claim is an aside
    (
        "A2020-0029",
        "https://www.blog.talos-iraq.com/ied-attack-against-us-contracted-logistics-convoy-on-highway-1-near-samarra/",
    ): {"relays_claim": "false"},
    # A2020-0078 The Washington Post: reports the attack as happening (place, damage or casualties), the claim is an aside
    (
        "A2020-0078",
        "https://www.washingtonpost.com/world/iraq-rockets-after-us-drawdown/2020/11/17/adaa012a-2911-11eb-9c21-3cc501d0981f_story.html",
    ): {"relays_claim": "false"},
    # A2020-0079 The New Arab (AFP): reports the attack as happening (place, damage or casualties), the claim is an aside
    (
        "A2020-0079",
        "https://newarab.com/News/2020/12/11/Two-coalition-convoys-hit-in-Iraq-security-sources",
    ): {"relays_claim": "false"},
    # A2020-0080 The New Arab (AFP): reports the attack as happening (place, damage or casualties), the claim is an aside
    (
        "A2020-0080",
        "https://newarab.com/News/2020/12/11/Two-coalition-convoys-hit-in-Iraq-security-sources",
    ): {"relays_claim": "false"},
    # A2020-0088 The Baghdad Post: reports the attack as happening (place, damage or casualties), the claim is an aside
    (
        "A2020-0088",
        "https://www.thebaghdadpost.com/en/Story/51175/IED-Blast-Hist-Coalition-Logistics-Convoy-in-Central-Iraq",
    ): {"relays_claim": "false"},
    # A2021-0014 Associated Press (via 13abc): reports the attack as happening (place, damage or casualties), the claim is an aside
    (
        "A2021-0014",
        "https://www.13abc.com/2021/02/16/us-led-coalition-no-americans-killed-in-iraq-rocket-attack/",
    ): {"relays_claim": "false"},
    # A2021-0014 Euro Weekly News: reports the attack as happening (place, damage or casualties), the claim is an aside
    (
        "A2021-0014",
        "https://www.euroweeklynews.com/2021/02/16/iraq-rocket-attack-kills-contractor-wounds-us-serviceman/",
    ): {"relays_claim": "false"},
    # A2023-0026 Newsmax: reports the attack as happening (place, damage or casualties), the claim is an aside
    (
        "A2023-0026",
        "https://www.newsmax.com/world/globaltalk/iran-militia-israel/2023/11/03/id/1140847/",
    ): {"relays_claim": "false"},
    # A2023-0050 Gercek News: reports the attack as happening (place, damage or casualties), the claim is an aside
    (
        "A2023-0050",
        "https://www.gerceknews.com/regional-news/erbil-air-base-housing-us-troops-hit-by-suicide-drones-igniting-fire-222717h",
    ): {"relays_claim": "false"},
    # A2023-0105 Hurriyet Daily News (AFP): reports the attack as happening (place, damage or casualties), the claim is an aside
    (
        "A2023-0105",
        "https://www.hurriyetdailynews.com/us-strikes-sites-used-by-iran-backed-forces-in-iraq-189022",
    ): {"relays_claim": "false"},
    # A2024-0029 WION: reports the attack as happening (place, damage or casualties), the claim is an aside
    (
        "A2024-0029",
        "https://www.wionews.com/world/us-military-personnel-injured-after-ballistic-missile-attack-by-iran-backed-militants-on-airbase-in-iraq-681950",
    ): {"relays_claim": "false"},
    # A2024-0043 Task & Purpose: reports the attack as happening (place, damage or casualties), the claim is an aside
    (
        "A2024-0043",
        "https://taskandpurpose.com/news/3-us-troops-killed-jordan-drone-attack-tower-22/",
    ): {"relays_claim": "false"},
    # A2024-0062 Arutz Sheva: reports the attack as happening (place, damage or casualties), the claim is an aside
    ("A2024-0062", "https://www.israelnationalnews.com/news/394942"): {"relays_claim": "false"},
    # S2024-0011 Al-Monitor: reports the attack as happening (place, damage or casualties), the claim is an aside
    (
        "S2024-0011",
        "https://www.al-monitor.com/originals/2024/02/us-strike-baghdad-kills-kataib-hezbollah-commander-iraq-tensions-simmer",
    ): {"relays_claim": "false"},
    # S2020-0002 Airwars: the coalition admitted the strike
    ("S2020-0002", "https://airwars.org/civilian-casualties/ci880-march-13-2020"): {
        "official_quoted": "us"
    },
    # S2022-0002 Track Persia (Al Arabiya): the coalition statement on its artillery fire
    (
        "S2022-0002",
        "https://www.trackpersia.com/us-coalition-against-isis-faces-dual-attacks-in-syria-and-iraq-by-iran-backed-groups/",
    ): {"official_quoted": "us"},
    # A2022-0011 Arab News (AFP): the coalition said it shot the drone down
    ("A2022-0011", "https://arabnews.com/node/2073826/middle-east"): {"official_quoted": "us"},
    # A2023-0005 Total News (OAN): US officials to the Washington Post
    (
        "A2023-0005",
        "https://www.oann.com/newsroom/24-american-soldiers-injured-in-iraq-syria-u-s-base-drone-attacks/",
    ): {"official_quoted": "us"},
    # A2023-0007 Total News (OAN): US officials to the Washington Post
    (
        "A2023-0007",
        "https://www.oann.com/newsroom/24-american-soldiers-injured-in-iraq-syria-u-s-base-drone-attacks/",
    ): {"official_quoted": "us"},
    # A2023-0010 Total News (OAN): US officials to the Washington Post
    (
        "A2023-0010",
        "https://www.oann.com/newsroom/24-american-soldiers-injured-in-iraq-syria-u-s-base-drone-attacks/",
    ): {"official_quoted": "us"},
    # A2023-0021 SOFREP: list of attacks the US reported (ISW)
    (
        "A2023-0021",
        "https://sofrep.com/news/us-bases-in-iraq-and-syria-attacked-28-times-to-date-are-we-being-drawn-into-the-war/",
    ): {"official_quoted": "us"},
    # A2023-0026 SOFREP: list of attacks the US reported (ISW)
    (
        "A2023-0026",
        "https://sofrep.com/news/us-bases-in-iraq-and-syria-attacked-28-times-to-date-are-we-being-drawn-into-the-war/",
    ): {"official_quoted": "us"},
    # A2023-0029 SOFREP: list of attacks the US reported (ISW)
    (
        "A2023-0029",
        "https://sofrep.com/news/us-bases-in-iraq-and-syria-attacked-28-times-to-date-are-we-being-drawn-into-the-war/",
    ): {"official_quoted": "us"},
    # A2023-0033 SOFREP: list of attacks the US reported (ISW)
    (
        "A2023-0033",
        "https://sofrep.com/news/us-bases-in-iraq-and-syria-attacked-28-times-to-date-are-we-being-drawn-into-the-war/",
    ): {"official_quoted": "us"},
    # A2023-0047 World Report Now (Reuters rewrite): Reuters cites a US military official (event summary)
    (
        "A2023-0047",
        "https://www.straitstimes.com/world/drone-explosive-attacks-target-us-forces-across-iraq-sources",
    ): {"official_quoted": "us"},
    # A2023-0060 American Military News: a US defense official to Stars and Stripes
    (
        "A2023-0060",
        "https://americanmilitarynews.com/2023/11/nearly-60-us-troops-injured-in-iran-backed-terrorist-attacks",
    ): {"official_quoted": "us"},
    # A2023-0071 Livemint (Reuters): a US official to Reuters
    (
        "A2023-0071",
        "https://www.livemint.com/news/world/drone-attacks-on-us-forces-in-iraq-and-syria-no-casualties-reported/amp-11700786573335.html",
    ): {"official_quoted": "us"},
    # A2023-0072 Livemint (Reuters): a US official to Reuters
    (
        "A2023-0072",
        "https://www.livemint.com/news/world/drone-attacks-on-us-forces-in-iraq-and-syria-no-casualties-reported/amp-11700786573335.html",
    ): {"official_quoted": "us"},
    # A2023-0073 Livemint (Reuters): a US official to Reuters
    (
        "A2023-0073",
        "https://www.livemint.com/news/world/drone-attacks-on-us-forces-in-iraq-and-syria-no-casualties-reported/amp-11700786573335.html",
    ): {"official_quoted": "us"},
    # S2024-0004 Ahram Online (AP): US officials to AP on the third, unnamed site
    (
        "S2024-0004",
        "https://english.ahram.org.eg/NewsContent/58/1262/516503/War-on-Gaza/War-on-Gaza/US-hits-Iraq-militia-sites-and-antiship-missiles-i.aspx",
    ): {"official_quoted": "us"},
    # A2024-0061 The Spokesman-Review (Washington Post): US officials: an attack in Syria that week
    (
        "A2024-0061",
        "https://www.spokesman.com/stories/2024/aug/05/us-says-several-troops-hurt-in-iraq-attack/",
    ): {"official_quoted": "us"},
    # A2024-0080 Stars and Stripes: CENTCOM on the two-rocket indirect fire
    (
        "A2024-0080",
        "https://stripes.com/theaters/middle_east/2024-11-13/iran-syria-strikes-american-forces-15832623.html",
    ): {"official_quoted": "us"},
    # S2024-0017 Stars and Stripes: CENTCOM's announcement of the strikes
    (
        "S2024-0017",
        "https://stripes.com/theaters/middle_east/2024-11-13/iran-syria-strikes-american-forces-15832623.html",
    ): {"official_quoted": "us"},
    # A2020-0035 AP (via Devdiscourse): Caggins denied the attack; relays the claim and the
    # denials, reports no attack
    (
        "A2020-0035",
        "https://www.devdiscourse.com/article/international/1165955-us-says-blast-hits-iraq-convoy-border-attack-claim-false",
    ): {"official_quoted": "", "relays_claim": "true"},
    # A2020-0035 Atlantic Council: Caggins denied the attack
    (
        "A2020-0035",
        "http://www.atlanticcouncil.org/blogs/menasource/how-attacks-on-us-forces-in-iraq-became-a-new-normal/",
    ): {"official_quoted": ""},
    # A2020-0071 Crisis24 (GardaWorld): names a US convoy, quotes no US official
    (
        "A2020-0071",
        "https://crisis24.garda.com/alerts/2020/09/iraq-us-convoy-targeted-in-hillah-city-babil-governorate-on-september-21",
    ): {"official_quoted": ""},
    # A2021-0018 Military.com: the coalition only said no troops were at Balad
    (
        "A2021-0018",
        "http://www.military.com/daily-news/2021/03/15/rockets-fired-balad-air-base-iraq.html",
    ): {"official_quoted": ""},
    # A2021-0023 Kayhan (Dispatches): mentions Biden, quotes no US official
    (
        "A2021-0023",
        "http://kayhan.ir/en/news/88807/iraqi-base-hosting-us-troops-comes-under-rocket-attack",
    ): {"official_quoted": ""},
    # A2023-0114 Sputnik: CENTCOM gave no comment
    (
        "A2023-0114",
        "https://sputnikglobe.com/amp/20240102/cloudy-with-a-risk-of-rocket-showers-militias-ramp-up-attacks-on-us-forces-in-iraq-syria-1115943496.html",
    ): {"official_quoted": ""},
    # A2021-0027 Rudaw: CTS academy is a place, not a statement
    ("A2021-0027", "https://rudaw.net/english/middleeast/iraq/23042021"): {"official_quoted": ""},
    # A2024-0070 DW (AP/Reuters/AFP): CTS HQ is a place, not a statement
    (
        "A2024-0070",
        "https://www.dw.com/en/middle-east-israel-launches-ground-operations-in-lebanon/live-70370002?maca=en-rss-en-all-1573-rdf",
    ): {"official_quoted": ""},
    # S2024-0013 SOFX: the Iraqi official could not confirm
    (
        "S2024-0013",
        "https://www.sofx.com/rocket-attack-targeting-u-s-base-in-syria-launched-from-iraq/",
    ): {"official_quoted": ""},
    # A2023-0077 Shafaq News: no KRG comment; relays the claim
    (
        "A2023-0077",
        "https://www.shafaq.com/en/Iraq-News/Islamic-Resistance-launches-drone-attack-on-US-base-in-Erbil-Iraq",
    ): {"official_quoted": "", "relays_claim": "true"},
    # A2024-0033 Xinhua (via Big News Network): no KRG comment; relays the claim
    (
        "A2024-0033",
        "https://bignewsnetwork.com/news/274105487/iraqi-shiite-militia-claims-attacks-on-3-us-bases-in-iraq-syria",
    ): {"official_quoted": "", "relays_claim": "true"},
    # A2020-0002 BlacklistedNews (RT): near the US embassy is a place
    (
        "A2020-0002",
        "https://www.blacklistednews.com/article/75901/iraqi-air-base-housing-us-troops-comes-under-rocket-fire-north-of.html",
    ): {"official_quoted": ""},
    # A2020-0010 The New Daily (AAP): near the US embassy is a place
    (
        "A2020-0010",
        "https://thenewdaily.com.au/news/world/2020/01/21/rockets-fall-inside-baghdads-green-zone/",
    ): {"official_quoted": ""},
    # A2020-0017 Dawn (AFP): the US embassy as target is a place
    ("A2020-0017", "https://dawn.com/news/1544087"): {"official_quoted": ""},
    # A2023-0070 Livemint (Reuters): Reuters quotes a US military official on the four attacks
    (
        "A2023-0070",
        "https://www.livemint.com/news/world/drone-attacks-on-us-forces-in-iraq-and-syria-no-casualties-reported/amp-11700786573335.html",
    ): {"official_quoted": "us"},
    # A2023-0006 Mamul.am (Xinhua): relays the IRI's claim (Xinhua quoting it)
    ("A2023-0006", "https://mamul.am/en/news/277844"): {"relays_claim": "true"},
    # A2023-0095 Arabi Post: relays the claim and Fars (party media)
    ("A2023-0095", "https://arabicpost.live/?p=1156342"): {"relays_claim": "true"},
    # A2023-0110 Shafaq News: relays the claim; no official confirmation
    (
        "A2023-0110",
        "https://www.shafaq.com/en/Iraq-News/Armed-drone-hits-U-S-base-near-Erbil-Iraqi-armed-group-claims-responsibility",
    ): {"relays_claim": "true"},
    # A2024-0025 The Cradle (Japanese translation on note.com): relays only Sputnik's correspondent (party media)
    ("A2024-0025", "https://note.com/precious_nijiko/n/nc98e2c7afcb0"): {"relays_claim": "true"},
    # A2024-0051 Defense Mirror: relays only Sputnik's local source (party media)
    (
        "A2024-0051",
        "https://defensemirror.com/news/36104/U_S___Al_Omar_Base_in_Syria_Hit_by_Triple_Rocket_Attacks_in_an_Hour",
    ): {"relays_claim": "true"},
    # A2024-0060 Syria Support Movement (The Cradle): relays only Al Mayadeen (party media)
    (
        "A2024-0060",
        "https://syriasupportmovement.org/2024/08/03/rocket-attack-hits-us-occupation-base-in-syrias-conoco-oil-field",
    ): {"relays_claim": "true"},
    # A2024-0061 Syria Support Movement (The Cradle): relays only Sputnik (party media)
    (
        "A2024-0061",
        "https://syriasupportmovement.org/2024/08/03/rocket-attack-hits-us-occupation-base-in-syrias-conoco-oil-field",
    ): {"relays_claim": "true"},
    # A2024-0066 Baladi News: relays only Sham FM (Syrian state-aligned radio)
    (
        "A2024-0066",
        "https://baladi-news.com/ar/articles/102186/هجوم-على-القاعدة-الأمريكية-في-الشدادي",
    ): {"relays_claim": "true"},
    # A2024-0069 Baladi News: relays only Tasnim and Sputnik (party media)
    (
        "A2024-0069",
        "https://baladi-news.com/ar/articles/102246/هجوم-بالطائرات-المسيرة-على-قاعدة-كونيكو-في-ريف-محافظة-دير-الزور",
    ): {"relays_claim": "true"},
    # A2024-0069 Syria TV: relays only Tasnim and Sputnik (party media)
    (
        "A2024-0069",
        "https://syria.tv/طائرات-مسيرة-تهاجم-قاعدة-أميركية-شمال-شرقي-سوريا-والتحالف-يتصدى",
    ): {"relays_claim": "true"},
    # A2024-0073 Causa Operária (pt): relays Al Mayadeen (party media)
    (
        "A2024-0073",
        "https://causaoperaria.org.br/2024/resistencia-atinge-base-dos-eua-em-campo-de-petroleo-na-siria",
    ): {"relays_claim": "true"},
    # S2024-0005 Kurdistan24: quotes CENTCOM's statement on the three facilities struck that night
    (
        "S2024-0005",
        "https://www.kurdistan24.net/en/story/33845-U.S.-carries-out-airstrikes-on-Iran-backed-Kataib-Hezbollah-in-Iraq",
    ): {"official_quoted": "us"},
}

# A title we made up is no title: bracketed notes ("[no headline in the stored copy]") and
# titles wholly in parentheses (a paraphrase or a translated URL slug standing in for one).
PLACEHOLDER = re.compile(
    r"^\s*[\[(]\s*(no headline|headline per|CENTCOM:)|headline truncated|no headline in"
    r"|^\s*\(.*\)\s*$|URL slug",
    re.IGNORECASE,
)

# --- relays_claim --------------------------------------------------------------------------
CLAIM = re.compile(
    r"(?<!no )(?<!un)claim|(?<!no )\bIRI\b|\bannounced|\bdeclared|\bstatement\b|Sabereen|Saberin"
    r"|Telegram|\bvideo\b|said it (hit|targeted)|\bmourned|'[^']+' claimed",
    re.IGNORECASE,
)
BASIS = re.compile(
    r"official|Pentagon|CENTCOM|coalition|OIR\b|CJTF|\bSMC\b|security media|media cell|\bJOC\b"
    r"|Joint Operations|\bCTS\b|\bCTD\b|counter-?terror|\bCT\b|security source|sources?\b|police"
    r"|military|\barmy\b|Reuters|\bAP\b|AFP|Xinhua|Anadolu|SOHR|Observatory|witness|resident"
    r"|reporter|correspondent|sirens?|C-RAM|heard|spokes|ministry|governor|KRG|Asayish|Peshmerga"
    r"|Ryder|Singh|Kirby|Austin|Marotto|Caggins|US forces|U\.S\. forces|defen[cs]e|shot down"
    r"|intercept|downed|activists|local (media|sources|reports)|Sham FM|Abu Layla|SDF|Iraqi forces",
    re.IGNORECASE,
)

# --- official_quoted -----------------------------------------------------------------------
US_OFFICIAL = re.compile(
    r"Pentagon|CENTCOM|Central Command|U\.?S\.? (military|defen[cs]e|official|officials|Army"
    r"|embassy (said|says|statement|spokes))|defen[cs]e official|Department of Defense|\bDoD\b|White House|State Dep|\bNSC\b"
    r"|Kirby|Ryder|Singh|Austin|Esper|Milley|McKenzie|Pompeo|Biden|Trump|coalition (official"
    r"|spokes|statement|said|says|confirmed)|coalition:|\bOIR\b|CJTF|Caggins|Marotto|Rigsbee"
    r"|Roberts|Brennan|Buccino|Garver|Embassy( statement)?:|American officials|two US officials"
    r"|US official",
    re.IGNORECASE,
)
KURDISH_OFFICIAL = re.compile(
    r"\bCTS\b|\bCTD\b|\bCT\b|counter-?terror|KRG|Kurdistan Region|Erbil governor|Peshmerga"
    r"|Asayish|Kurdish (CTS|CT|official|security)|Security Council",
    re.IGNORECASE,
)
IRAQI_OFFICIAL = re.compile(
    r"\bSMC\b|security media|media cell|Security Media Network|\bJOC\b|Joint Operations"
    r"|Iraqi (military|army|government|official|officials|govt|security officials?)"
    r"|\b(military|army)( statement)?:|military said|army said|Interior ministry|\bMoI\b"
    r"|police( captain| officer| official| said)?:|police (captain|officer|official|said)"
    r"|Operations Command|Ops commander|Rasool|Khafaji|Iraqi official|PM office|Cell:"
    r"|Kadhimi|Sudani|government spokes",
    re.IGNORECASE,
)
KURDISTAN = {"Erbil", "Sulaymaniyah", "Duhok", "Halabja"}


def read(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def write(path: Path, columns: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def outlets() -> dict[str, tuple[str, str]]:
    table = {}
    for line in OUTLETS_TABLE.strip().splitlines():
        outlet, kind, original = (part.strip() for part in (line + " ").split(" | "))
        table[outlet] = (kind, original)
    return table


def substitute(sources: list[dict]) -> list[dict]:
    """Replace each mirror in SUBSTITUTIONS by its original; merge into an existing row."""
    out: list[dict] = []
    index = {(s["event_id"], s["url"]): s for s in sources}
    for source in sources:
        new = SUBSTITUTIONS.get((source["event_id"], source["url"]))
        if new is None:
            out.append(source)
            continue
        fields = {k: v for k, v in new.items() if k != "keep_says"}
        existing = index.get((source["event_id"], fields["url"]))
        if existing is not None and existing is not source:
            # the event already cites the original: one row, saying what both said
            if "says" in fields:
                existing["says"] = fields["says"]
            elif not new.get("keep_says") and source["says"] not in existing["says"]:
                existing["says"] = f"{existing['says']}; {source['says']}".strip("; ")
            continue
        source.update(fields)
        index[(source["event_id"], source["url"])] = source
        out.append(source)
    return out


def relays_claim(says: str) -> bool:
    if not CLAIM.search(says):
        return False
    officials = (US_OFFICIAL, KURDISH_OFFICIAL, IRAQI_OFFICIAL)
    return not BASIS.search(says) and not any(p.search(says) for p in officials)


# An official who denies an attack, or cannot confirm it, does not confirm it.
DENIAL = re.compile(
    r"\bden(ied|ies) any\b|\bden(ied|ies) (the|a) (reported )?(rocket )?attack|no truth"
    r"|could not confirm|did not confirm",
    re.IGNORECASE,
)


def official_quoted(says: str, admin1: str) -> str:
    if DENIAL.search(says):
        return ""
    if US_OFFICIAL.search(says):
        return "us"
    if KURDISH_OFFICIAL.search(says) and (admin1 in KURDISTAN or not IRAQI_OFFICIAL.search(says)):
        return "kurdish" if admin1 in KURDISTAN else "iraqi"
    if IRAQI_OFFICIAL.search(says):
        return "iraqi"
    return ""


def main() -> None:
    table = outlets()
    _, events = read(DATA / "events.csv")
    admin1 = {e["event_id"]: e["admin1"] for e in events}
    columns, sources = read(DATA / "event_sources.csv")
    for name in ("source_kind", "original", "relays_claim", "official_quoted"):
        if name not in columns:
            columns.append(name)
    unknown = sorted({s["outlet"] for s in sources} - set(table))
    sources = substitute(sources)
    unknown = sorted({s["outlet"] for s in sources} - set(table))
    if unknown:
        sys.exit(f"outlets missing from OUTLETS_TABLE: {unknown}")
    cleared = 0
    for source in sources:
        key = (source["event_id"], source["url"])
        kind, original = table[source["outlet"]]
        source["source_kind"], source["original"] = kind, original
        source["relays_claim"] = "true" if relays_claim(source["says"]) else "false"
        source["official_quoted"] = official_quoted(source["says"], admin1[source["event_id"]])
        source.update(ROW_FIXES.get(key, {}))
        if PLACEHOLDER.search(source["title"]):
            source["title"], cleared = "", cleared + 1
    write(DATA / "event_sources.csv", columns, sources)
    for name in ("key_events.csv", "official_counts.csv"):
        other_columns, rows = read(DATA / name)
        for row in rows:
            if PLACEHOLDER.search(row["title"]):
                row["title"], cleared = "", cleared + 1
        write(DATA / name, other_columns, rows)
    missing = [
        k
        for k in (*SUBSTITUTIONS, *ROW_FIXES)
        if k not in {(s["event_id"], s["url"]) for s in sources} and k not in SUBSTITUTIONS
    ]
    if missing:
        sys.exit(f"ROW_FIXES name rows that do not exist: {missing}")
    kinds: dict[str, int] = {}
    for source in sources:
        kinds[source["source_kind"]] = kinds.get(source["source_kind"], 0) + 1
    print(f"{len(sources)} sources graded; placeholder titles cleared: {cleared}")
    for kind, count in sorted(kinds.items(), key=lambda kv: -kv[1]):
        print(f"  {kind:18} {count}")


if __name__ == "__main__":
    main()
