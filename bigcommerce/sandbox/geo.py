"""Reference geography the sandbox serves under ``/countries`` and ``/countries/{id}/states``.

Countries are numbered alphabetically as in a BigCommerce store of the recorded era (Andorra is 5,
the United States 226). States exist for the United States (65 entries, ids 1-65, in BigCommerce's
order), Canada and Australia.
"""
from __future__ import annotations

from typing import List, Tuple

# (name, iso2, iso3), in id order starting at 1.
COUNTRIES = [
    ("Afghanistan", "AF", "AFG"), ("Albania", "AL", "ALB"), ("Algeria", "DZ", "DZA"),
    ("American Samoa", "AS", "ASM"), ("Andorra", "AD", "AND"), ("Angola", "AO", "AGO"),
    ("Anguilla", "AI", "AIA"), ("Antarctica", "AQ", "ATA"), ("Antigua and Barbuda", "AG", "ATG"),
    ("Argentina", "AR", "ARG"), ("Armenia", "AM", "ARM"), ("Aruba", "AW", "ABW"),
    ("Australia", "AU", "AUS"), ("Austria", "AT", "AUT"), ("Azerbaijan", "AZ", "AZE"),
    ("Bahamas", "BS", "BHS"), ("Bahrain", "BH", "BHR"), ("Bangladesh", "BD", "BGD"),
    ("Barbados", "BB", "BRB"), ("Belarus", "BY", "BLR"), ("Belgium", "BE", "BEL"),
    ("Belize", "BZ", "BLZ"), ("Benin", "BJ", "BEN"), ("Bermuda", "BM", "BMU"),
    ("Bhutan", "BT", "BTN"), ("Bolivia", "BO", "BOL"), ("Bosnia and Herzegovina", "BA", "BIH"),
    ("Botswana", "BW", "BWA"), ("Bouvet Island", "BV", "BVT"), ("Brazil", "BR", "BRA"),
    ("British Indian Ocean Territory", "IO", "IOT"), ("Brunei Darussalam", "BN", "BRN"),
    ("Bulgaria", "BG", "BGR"), ("Burkina Faso", "BF", "BFA"), ("Burundi", "BI", "BDI"),
    ("Cambodia", "KH", "KHM"), ("Cameroon", "CM", "CMR"), ("Canada", "CA", "CAN"),
    ("Cape Verde", "CV", "CPV"), ("Cayman Islands", "KY", "CYM"),
    ("Central African Republic", "CF", "CAF"), ("Chad", "TD", "TCD"), ("Chile", "CL", "CHL"),
    ("China", "CN", "CHN"), ("Christmas Island", "CX", "CXR"),
    ("Cocos (Keeling) Islands", "CC", "CCK"), ("Colombia", "CO", "COL"), ("Comoros", "KM", "COM"),
    ("Congo", "CG", "COG"), ("Congo, the Democratic Republic of the", "CD", "COD"),
    ("Cook Islands", "CK", "COK"), ("Costa Rica", "CR", "CRI"), ("Cote D'Ivoire", "CI", "CIV"),
    ("Croatia", "HR", "HRV"), ("Cuba", "CU", "CUB"), ("Cyprus", "CY", "CYP"),
    ("Czech Republic", "CZ", "CZE"), ("Denmark", "DK", "DNK"), ("Djibouti", "DJ", "DJI"),
    ("Dominica", "DM", "DMA"), ("Dominican Republic", "DO", "DOM"), ("Ecuador", "EC", "ECU"),
    ("Egypt", "EG", "EGY"), ("El Salvador", "SV", "SLV"), ("Equatorial Guinea", "GQ", "GNQ"),
    ("Eritrea", "ER", "ERI"), ("Estonia", "EE", "EST"), ("Ethiopia", "ET", "ETH"),
    ("Falkland Islands (Malvinas)", "FK", "FLK"), ("Faroe Islands", "FO", "FRO"),
    ("Fiji", "FJ", "FJI"), ("Finland", "FI", "FIN"), ("France", "FR", "FRA"),
    ("French Guiana", "GF", "GUF"), ("French Polynesia", "PF", "PYF"),
    ("French Southern Territories", "TF", "ATF"), ("Gabon", "GA", "GAB"), ("Gambia", "GM", "GMB"),
    ("Georgia", "GE", "GEO"), ("Germany", "DE", "DEU"), ("Ghana", "GH", "GHA"),
    ("Gibraltar", "GI", "GIB"), ("Greece", "GR", "GRC"), ("Greenland", "GL", "GRL"),
    ("Grenada", "GD", "GRD"), ("Guadeloupe", "GP", "GLP"), ("Guam", "GU", "GUM"),
    ("Guatemala", "GT", "GTM"), ("Guinea", "GN", "GIN"),
    ("Guinea-Bissau", "GW", "GNB"), ("Guyana", "GY", "GUY"), ("Haiti", "HT", "HTI"),
    ("Heard Island and Mcdonald Islands", "HM", "HMD"), ("Holy See (Vatican City State)", "VA", "VAT"),
    ("Honduras", "HN", "HND"), ("Hong Kong", "HK", "HKG"), ("Hungary", "HU", "HUN"),
    ("Iceland", "IS", "ISL"), ("India", "IN", "IND"), ("Indonesia", "ID", "IDN"),
    ("Iran, Islamic Republic of", "IR", "IRN"), ("Iraq", "IQ", "IRQ"), ("Ireland", "IE", "IRL"),
    ("Israel", "IL", "ISR"), ("Italy", "IT", "ITA"),
    ("Jamaica", "JM", "JAM"), ("Japan", "JP", "JPN"), ("Jordan", "JO", "JOR"), ("Kazakhstan", "KZ", "KAZ"), ("Kenya", "KE", "KEN"),
    ("Kiribati", "KI", "KIR"), ("Korea, Democratic People's Republic of", "KP", "PRK"),
    ("Korea, Republic of", "KR", "KOR"), ("Kuwait", "KW", "KWT"), ("Kyrgyzstan", "KG", "KGZ"),
    ("Lao People's Democratic Republic", "LA", "LAO"), ("Latvia", "LV", "LVA"),
    ("Lebanon", "LB", "LBN"), ("Lesotho", "LS", "LSO"), ("Liberia", "LR", "LBR"),
    ("Libyan Arab Jamahiriya", "LY", "LBY"), ("Liechtenstein", "LI", "LIE"),
    ("Lithuania", "LT", "LTU"), ("Luxembourg", "LU", "LUX"), ("Macao", "MO", "MAC"),
    ("Macedonia, the Former Yugoslav Republic of", "MK", "MKD"), ("Madagascar", "MG", "MDG"),
    ("Malawi", "MW", "MWI"), ("Malaysia", "MY", "MYS"), ("Maldives", "MV", "MDV"),
    ("Mali", "ML", "MLI"), ("Malta", "MT", "MLT"), ("Marshall Islands", "MH", "MHL"),
    ("Martinique", "MQ", "MTQ"), ("Mauritania", "MR", "MRT"), ("Mauritius", "MU", "MUS"),
    ("Mayotte", "YT", "MYT"), ("Mexico", "MX", "MEX"),
    ("Micronesia, Federated States of", "FM", "FSM"), ("Moldova, Republic of", "MD", "MDA"),
    ("Monaco", "MC", "MCO"), ("Mongolia", "MN", "MNG"), ("Montserrat", "MS", "MSR"), ("Morocco", "MA", "MAR"), ("Mozambique", "MZ", "MOZ"),
    ("Myanmar", "MM", "MMR"), ("Namibia", "NA", "NAM"), ("Nauru", "NR", "NRU"),
    ("Nepal", "NP", "NPL"), ("Netherlands", "NL", "NLD"), ("Netherlands Antilles", "AN", "ANT"),
    ("New Caledonia", "NC", "NCL"), ("New Zealand", "NZ", "NZL"), ("Nicaragua", "NI", "NIC"),
    ("Niger", "NE", "NER"), ("Nigeria", "NG", "NGA"), ("Niue", "NU", "NIU"),
    ("Norfolk Island", "NF", "NFK"), ("Northern Mariana Islands", "MP", "MNP"),
    ("Norway", "NO", "NOR"), ("Oman", "OM", "OMN"), ("Pakistan", "PK", "PAK"),
    ("Palau", "PW", "PLW"), ("Palestinian Territory, Occupied", "PS", "PSE"),
    ("Panama", "PA", "PAN"), ("Papua New Guinea", "PG", "PNG"), ("Paraguay", "PY", "PRY"),
    ("Peru", "PE", "PER"), ("Philippines", "PH", "PHL"), ("Pitcairn", "PN", "PCN"),
    ("Poland", "PL", "POL"), ("Portugal", "PT", "PRT"), ("Puerto Rico", "PR", "PRI"),
    ("Qatar", "QA", "QAT"), ("Reunion", "RE", "REU"), ("Romania", "RO", "ROU"),
    ("Russian Federation", "RU", "RUS"), ("Rwanda", "RW", "RWA"), ("Saint Helena", "SH", "SHN"),
    ("Saint Kitts and Nevis", "KN", "KNA"), ("Saint Lucia", "LC", "LCA"),
    ("Saint Pierre and Miquelon", "PM", "SPM"), ("Saint Vincent and the Grenadines", "VC", "VCT"),
    ("Samoa", "WS", "WSM"), ("San Marino", "SM", "SMR"), ("Sao Tome and Principe", "ST", "STP"),
    ("Saudi Arabia", "SA", "SAU"), ("Senegal", "SN", "SEN"), ("Serbia", "RS", "SRB"),
    ("Seychelles", "SC", "SYC"), ("Sierra Leone", "SL", "SLE"), ("Singapore", "SG", "SGP"),
    ("Slovakia", "SK", "SVK"), ("Slovenia", "SI", "SVN"), ("Solomon Islands", "SB", "SLB"),
    ("Somalia", "SO", "SOM"), ("South Africa", "ZA", "ZAF"),
    ("South Georgia and the South Sandwich Islands", "GS", "SGS"), ("Spain", "ES", "ESP"),
    ("Sri Lanka", "LK", "LKA"), ("Sudan", "SD", "SDN"), ("Suriname", "SR", "SUR"),
    ("Svalbard and Jan Mayen", "SJ", "SJM"), ("Swaziland", "SZ", "SWZ"), ("Sweden", "SE", "SWE"),
    ("Switzerland", "CH", "CHE"), ("Syrian Arab Republic", "SY", "SYR"),
    ("Taiwan", "TW", "TWN"), ("Tajikistan", "TJ", "TJK"),
    ("Tanzania, United Republic of", "TZ", "TZA"), ("Thailand", "TH", "THA"),
    ("Timor-Leste", "TL", "TLS"), ("Togo", "TG", "TGO"), ("Tokelau", "TK", "TKL"),
    ("Tonga", "TO", "TON"), ("Trinidad and Tobago", "TT", "TTO"), ("Tunisia", "TN", "TUN"),
    ("Turkey", "TR", "TUR"), ("Turkmenistan", "TM", "TKM"),
    ("Turks and Caicos Islands", "TC", "TCA"), ("Tuvalu", "TV", "TUV"), ("Uganda", "UG", "UGA"),
    ("Ukraine", "UA", "UKR"), ("United Arab Emirates", "AE", "ARE"),
    ("United Kingdom", "GB", "GBR"), ("United States", "US", "USA"),
    ("United States Minor Outlying Islands", "UM", "UMI"), ("Uruguay", "UY", "URY"),
    ("Uzbekistan", "UZ", "UZB"), ("Vanuatu", "VU", "VUT"), ("Venezuela", "VE", "VEN"),
    ("Viet Nam", "VN", "VNM"), ("Virgin Islands, British", "VG", "VGB"),
    ("Virgin Islands, U.S.", "VI", "VIR"), ("Wallis and Futuna", "WF", "WLF"),
    ("Western Sahara", "EH", "ESH"), ("Yemen", "YE", "YEM"), ("Zambia", "ZM", "ZMB"),
    ("Zimbabwe", "ZW", "ZWE"),
]

# (country ISO2, "State name ABBR|..."), countries in state-id order, states in BigCommerce's order.
STATES = (
    ("US",
     "Alabama AL|Alaska AK|American Samoa AS|Arizona AZ|Arkansas AR|Armed Forces Africa AF|"
     "Armed Forces Americas AA|Armed Forces Canada AC|Armed Forces Europe AE|"
     "Armed Forces Middle East AM|Armed Forces Pacific AP|California CA|Colorado CO|Connecticut CT|"
     "Delaware DE|District of Columbia DC|Federated States Of Micronesia FM|Florida FL|Georgia GA|"
     "Guam GU|Hawaii HI|Idaho ID|Illinois IL|Indiana IN|Iowa IA|Kansas KS|Kentucky KY|Louisiana LA|"
     "Maine ME|Marshall Islands MH|Maryland MD|Massachusetts MA|Michigan MI|Minnesota MN|"
     "Mississippi MS|Missouri MO|Montana MT|Nebraska NE|Nevada NV|New Hampshire NH|New Jersey NJ|"
     "New Mexico NM|New York NY|North Carolina NC|North Dakota ND|Northern Mariana Islands MP|Ohio OH|"
     "Oklahoma OK|Oregon OR|Palau PW|Pennsylvania PA|Puerto Rico PR|Rhode Island RI|"
     "South Carolina SC|South Dakota SD|Tennessee TN|Texas TX|Utah UT|Vermont VT|"
     "Virgin Islands VI|Virginia VA|Washington WA|West Virginia WV|Wisconsin WI|Wyoming WY"),
    ("CA",
     "Alberta AB|British Columbia BC|Manitoba MB|New Brunswick NB|Newfoundland and Labrador NL|"
     "Northwest Territories NT|Nova Scotia NS|Nunavut NU|Ontario ON|Prince Edward Island PE|"
     "Quebec QC|Saskatchewan SK|Yukon Territory YT"),
    ("AU",
     "Australian Capital Territory ACT|New South Wales NSW|Northern Territory NT|Queensland QLD|"
     "South Australia SA|Tasmania TAS|Victoria VIC|Western Australia WA"),
)


def country_id(iso2: str) -> int:
    """The sandbox id of a country by ISO 3166 alpha-2 code."""
    for index, row in enumerate(COUNTRIES, 1):
        if row[1] == iso2:
            return index
    raise KeyError(iso2)


def states_by_country() -> List[Tuple[int, List[Tuple[str, ...]]]]:
    """[(country_id, [(state name, abbreviation), ...]), ...] in state-id order."""
    return [(country_id(iso2), [tuple(item.rsplit(" ", 1)) for item in spec.split("|")])
            for iso2, spec in STATES]
